// `update`: resources from -r (JSON file, "-" for stdin) or runc's individual flags.
import { readFile } from 'node:fs/promises';
import type { LinuxResources } from '@berth/cgroups';
import { str, UsageError, type FlagTable, type Flags } from './args';

const num = (f: Flags, name: string): number | undefined => {
  const v = str(f, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`invalid value for --${name}: ${v}`);
  return n;
};

export const UPDATE_FLAGS: FlagTable = {
  resources: { type: 'string', short: 'r' },
  memory: { type: 'string' },
  'memory-swap': { type: 'string' },
  'memory-reservation': { type: 'string' },
  'cpu-shares': { type: 'string' },
  'cpu-quota': { type: 'string' },
  'cpu-period': { type: 'string' },
  'cpuset-cpus': { type: 'string' },
  'cpuset-mems': { type: 'string' },
  'pids-limit': { type: 'string' },
};

export async function updateResources(f: Flags): Promise<LinuxResources> {
  const file = str(f, 'resources');
  if (file)
    return JSON.parse(await readFile(file === '-' ? '/dev/stdin' : file, 'utf8')) as LinuxResources;
  const pids = num(f, 'pids-limit');
  return {
    memory: {
      limit: num(f, 'memory'),
      swap: num(f, 'memory-swap'),
      reservation: num(f, 'memory-reservation'),
    },
    cpu: {
      shares: num(f, 'cpu-shares'),
      quota: num(f, 'cpu-quota'),
      period: num(f, 'cpu-period'),
      cpus: str(f, 'cpuset-cpus'),
      mems: str(f, 'cpuset-mems'),
    },
    ...(pids === undefined ? {} : { pids: { limit: pids } }),
  };
}
