// Keeps a running container's task frozen while the daemon works inside its root: between
// resolving a path in the container and using it, a process of the container could swap a
// component for a symlink to the host (CVE-2018-15664). Holds are counted per container, so
// concurrent docker cp calls resume it only when the last one ends.
import type { ContainerdConnection } from '../containerd/connection';

interface Hold {
  count: number;
  paused: Promise<void>;
}

export class TaskFreezer {
  private readonly holds = new Map<string, Hold>();
  /** Resumes still in flight: a new hold must not send Pause before the task has resumed. */
  private readonly resuming = new Map<string, Promise<void>>();

  constructor(private readonly connection: ContainerdConnection) {}

  /** Freezes the task (once for all holders); the returned function releases this hold. */
  async hold(id: string): Promise<() => Promise<void>> {
    while (!this.holds.has(id) && this.resuming.has(id)) await this.resuming.get(id);
    let hold = this.holds.get(id);
    if (!hold) {
      hold = {
        count: 0,
        paused: this.connection.call('tasks', 'Pause', { container_id: id }).then(() => undefined),
      };
      this.holds.set(id, hold);
    }
    hold.count++;
    const current = hold;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      if (--current.count > 0) return;
      this.holds.delete(id);
      const resumed = this.connection
        .call('tasks', 'Resume', { container_id: id })
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => this.resuming.delete(id));
      this.resuming.set(id, resumed);
      await resumed;
    };
    try {
      await current.paused;
    } catch (err) {
      await release();
      throw err;
    }
    return release;
  }
}
