// One process of a container (init or exec) as the server tracks it: its persisted state, its
// monitor connection, and a promise that settles when it has exited.
import { MonitorConnection, type ExitRecord } from '@berth/monitor';
import type { ProcessState } from './state';

export class TrackedProcess {
  readonly exited: Promise<ExitRecord>;
  private settle!: (exit: ExitRecord) => void;
  private connection: MonitorConnection | undefined;
  /** A runtime `start` in flight: its TaskStart event goes out before this process's exit. */
  starting: Promise<unknown> = Promise.resolve();

  constructor(readonly state: ProcessState) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    if (state.status === 'stopped') {
      this.settle({
        pid: state.pid,
        status: state.exitStatus ?? 255,
        exitedAt: new Date(state.exitedAt ?? 0),
      });
    }
  }

  /**
   * Follows the process through its monitor: `onExit` runs once, when the exit is known;
   * `onOom` on each OOM kill in its memory cgroup.
   */
  async watch(onExit: (exit: ExitRecord) => void, onOom: () => void): Promise<void> {
    this.connection = await MonitorConnection.connect(
      this.state.control,
      this.state.exitFile,
      this.state.pid,
    );
    this.connection.onOom(onOom);
    void this.connection.exited.then(async (exit) => {
      await this.starting.catch(() => {});
      this.state.status = 'stopped';
      this.state.exitStatus = exit.status;
      this.state.exitedAt = exit.exitedAt.toISOString();
      this.settle(exit);
      onExit(exit);
    });
  }

  resize(rows: number, cols: number): void {
    this.connection?.resize(rows, cols);
  }

  closeStdin(): void {
    this.connection?.closeStdin();
  }

  close(): void {
    this.connection?.close();
  }
}
