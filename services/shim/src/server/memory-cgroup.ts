// Where the runtime puts a container's memory cgroup on a cgroup v1 (or hybrid) host, so its
// monitor can watch for OOM kills. On a pure v2 host there is no v1 memory hierarchy: the shim
// follows memory.events itself (cgroup-v2.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const V1_MEMORY = '/sys/fs/cgroup/memory';

export async function memoryCgroupV1(bundle: string): Promise<string | undefined> {
  if (!existsSync(join(V1_MEMORY, 'memory.oom_control'))) return undefined;
  const spec = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as {
    linux?: { cgroupsPath?: string };
  };
  const path = spec.linux?.cgroupsPath;
  // "/a/b" is a path in each hierarchy; systemd's "slice:prefix:name" and relative paths
  // are resolved by the runtime in ways not worth guessing here.
  if (!path?.startsWith('/') || path.includes('..')) return undefined;
  return join(V1_MEMORY, path);
}
