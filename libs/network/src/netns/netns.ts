// Named network namespaces: a file under a directory the caller owns, pinned by a bind mount
// of the namespace (as `ip netns add` and Docker do), so the namespace outlives any process
// and a runtime joins it by path. Removal unmounts and unlinks; the kernel frees the
// namespace (and the veth ends inside it) once nothing else holds it.
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runCaptured } from '@berth/monitor';
import { netnsHelper } from './locate';
import { MNT_DETACH, unmountAll } from '@berth/oci/mount';

export class NetnsDir {
  constructor(readonly dir: string) {}

  pathOf(id: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(id) || id.startsWith('.'))
      throw new Error(`invalid network namespace name: ${id}`);
    return join(this.dir, id);
  }

  async create(id: string): Promise<string> {
    const path = this.pathOf(id);
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    // posix_spawn, not a fork of the daemon (milliseconds of a stalled event loop).
    const { status, stderr } = await runCaptured(netnsHelper(), [path], { env: {} });
    if (status !== 0) {
      throw new Error(stderr.toString().trim() || `berth-netns ${path}: exit status ${status}`);
    }
    return path;
  }

  /** Idempotent: a missing or already-unmounted file is not an error. */
  async remove(id: string): Promise<void> {
    const path = this.pathOf(id);
    unmountAll(path, MNT_DETACH);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => !name.startsWith('.'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
