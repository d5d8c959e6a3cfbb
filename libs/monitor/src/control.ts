import net from 'node:net';
import { once } from 'node:events';
import { readExitFile, type ExitRecord } from './exit-file';

/**
 * A connection to a running monitor, which sends "oom" lines and closes once its process has
 * exited. `exited` settles with the exit record once the monitor
 * is done (it closes every connection after writing the record), or with a status of 255 if
 * the monitor vanished without one, which is what containerd reports for a lost process.
 */
export class MonitorConnection {
  readonly exited: Promise<ExitRecord>;
  private readonly oomListeners: (() => void)[] = [];

  private constructor(
    private readonly socket: net.Socket | undefined,
    exitFile: string,
    pid: number,
  ) {
    // Not events.once(socket, 'close'): that rejects on 'error', and a monitor that exits
    // while the shim still writes resets the connection. 'close' always follows.
    const ended = new Promise<void>((resolve) =>
      socket ? socket.once('close', () => resolve()) : resolve(),
    );
    socket?.on('error', () => {});
    socket?.setEncoding('utf8').on('data', (text: string) => {
      if (text.split('\n').includes('oom')) for (const listener of this.oomListeners) listener();
    });
    this.exited = ended.then(async () => (await readExitFile(exitFile)) ?? lost(pid));
  }

  /**
   * Connects to the monitor at `control`. A monitor that is already gone (exit recorded, or
   * crashed) yields a connection whose `exited` settles at once.
   */
  static async connect(control: string, exitFile: string, pid: number): Promise<MonitorConnection> {
    const socket = net.createConnection(control);
    try {
      await once(socket, 'connect');
      return new MonitorConnection(socket, exitFile, pid);
    } catch {
      socket.destroy();
      return new MonitorConnection(undefined, exitFile, pid);
    }
  }

  /** Calls `listener` whenever the kernel OOM-kills in the process's memory cgroup. */
  onOom(listener: () => void): void {
    this.oomListeners.push(listener);
  }

  /** Sets the pty window size (terminal processes only; ignored otherwise). */
  resize(rows: number, cols: number): void {
    this.send(`resize ${rows} ${cols}\n`);
  }

  /** Closes the process's stdin, so it reads EOF. */
  closeStdin(): void {
    this.send('closein\n');
  }

  close(): void {
    this.socket?.destroy();
  }

  private send(line: string): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(line);
  }
}

const lost = (pid: number): ExitRecord => ({ pid, status: 255, exitedAt: new Date() });
