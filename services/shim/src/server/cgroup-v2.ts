// A container's cgroup on a pure cgroup v2 host, as containerd-shim-runc-v2 finds it: from the
// init process's /proc/<pid>/cgroup, so it holds whatever path or driver the runtime chose
// (runc, crun and berth-runc alike). It serves the task's stats as containerd's
// io.containerd.cgroups.v2.Metrics and watches memory.events for OOM kills, which cgroup v2
// reports there instead of through v1's memory.oom_control eventfd.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_TIMING,
  detectHost,
  hierarchyDir,
  nodeProcessControl,
  NodeCgroupFs,
  parseFlatKeyed,
  parseProcCgroup,
  V2Manager,
  type CgroupHost,
  type V2Metrics,
} from '@berth/cgroups';

const fs = new NodeCgroupFs();
let host: Promise<CgroupHost> | undefined;

export class ContainerCgroupV2 {
  private constructor(
    private readonly manager: V2Manager,
    /** The cgroup's directory under the cgroup2 mount. */
    readonly dir: string,
  ) {}

  /** The cgroup of a live process, or undefined when the host is not pure v2 or it is gone. */
  static async ofPid(pid: number): Promise<ContainerCgroupV2 | undefined> {
    if (pid <= 0) return undefined;
    host ??= detectHost(fs);
    const { mode, unified } = await host;
    if (mode !== 'unified' || !unified) return undefined;
    try {
      const path = parseProcCgroup(await readFile(`/proc/${pid}/cgroup`, 'utf8')).get('');
      if (!path) return undefined;
      const deps = { fs, processes: nodeProcessControl, timing: DEFAULT_TIMING };
      return new ContainerCgroupV2(new V2Manager(unified, path, deps), hierarchyDir(unified, path));
    } catch {
      return undefined;
    }
  }

  metrics(): Promise<V2Metrics> {
    return this.manager.stats();
  }

  /**
   * Calls `onOom` once per OOM kill counted in memory.events from now on (inotify: the kernel
   * signals a change of the file). `close` reads the counter one last time, so a kill that
   * ends the process is reported even when the exit is seen first.
   */
  async watchOomKills(onOom: () => void): Promise<{ close(): Promise<void> }> {
    const file = join(this.dir, 'memory.events');
    let seen = await oomKills(file);
    let checking = Promise.resolve();
    const check = () =>
      (checking = checking.then(async () => {
        const now = await oomKills(file);
        for (; seen < now; seen++) onOom();
      }));
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(file, { persistent: false }, () => void check());
      // The cgroup going away (container deleted) ends the watch.
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
    return {
      close: async () => {
        await check();
        watcher?.close();
      },
    };
  }
}

/** memory.events' oom_kill; 0 once the cgroup is gone. */
async function oomKills(file: string): Promise<number> {
  try {
    return parseFlatKeyed(await readFile(file, 'utf8'), file).get('oom_kill') ?? 0;
  } catch {
    return 0;
  }
}
