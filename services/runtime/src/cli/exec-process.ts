// The process `exec` runs: --process JSON, or the container's process with the command line
// and flags applied over it (as runc exec builds it).
import { readFile } from 'node:fs/promises';
import { CAPABILITIES, type Capabilities, type Process, type Spec } from '@berth/oci';
import { bool, list, str, UsageError, type Flags } from './args';

function parseUser(text: string): { uid: number; gid: number } {
  const [u, g] = text.split(':');
  const uid = Number(u);
  const gid = g === undefined ? 0 : Number(g);
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new UsageError(`invalid user "${text}"`);
  return { uid, gid };
}

function addCaps(caps: Capabilities | undefined, extra: string[]): Capabilities | undefined {
  if (!extra.length) return caps;
  for (const c of extra)
    if (!(CAPABILITIES as readonly string[]).includes(c))
      throw new UsageError(`unknown capability "${c}"`);
  const merge = (set: string[] | undefined) => [...new Set([...(set ?? []), ...extra])];
  return {
    ...caps,
    bounding: merge(caps?.bounding),
    effective: merge(caps?.effective),
    permitted: merge(caps?.permitted),
  };
}

export async function execProcess(spec: Spec, flags: Flags, command: string[]): Promise<Process> {
  const file = str(flags, 'process');
  if (file) return JSON.parse(await readFile(file, 'utf8')) as Process;
  if (!command.length) throw new UsageError('exec: args must not be empty');
  const base = spec.process;
  if (!base) throw new UsageError('container has no process to base exec on');
  const user = str(flags, 'user');
  const gids = list(flags, 'additional-gids').map(Number);
  return {
    ...base,
    args: command,
    terminal: bool(flags, 'tty'),
    env: [...(base.env ?? []), ...list(flags, 'env')],
    cwd: str(flags, 'cwd') ?? base.cwd,
    user: user
      ? { ...parseUser(user), additionalGids: gids.length ? gids : undefined }
      : { ...base.user, additionalGids: gids.length ? gids : base.user.additionalGids },
    capabilities: addCaps(base.capabilities, list(flags, 'cap')),
    noNewPrivileges: bool(flags, 'no-new-privs') || base.noNewPrivileges,
  };
}
