// Where the runtime puts a container's memory cgroup on a cgroup v1 (or hybrid) host, so its
// monitor can watch for OOM kills. On a pure v2 host there is no v1 memory hierarchy: the shim
// follows memory.events itself (cgroup-v2.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const V1_MEMORY = '/sys/fs/cgroup/memory';

/** Reads the bundle's config.json synchronously: one small file on the path of every create. */
export function memoryCgroupV1(bundle: string): string | undefined {
  if (!existsSync(join(V1_MEMORY, 'memory.oom_control'))) return undefined;
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as {
    linux?: { cgroupsPath?: string };
  };
  const path = spec.linux?.cgroupsPath;
  // "/a/b" is a path in each hierarchy; systemd's "slice:prefix:name" and relative paths
  // are resolved by the runtime in ways not worth guessing here.
  if (!path?.startsWith('/') || path.includes('..')) return undefined;
  return join(V1_MEMORY, path);
}
