// The process part of the plan: arguments, environment, credentials, capabilities, rlimits.
import type { Capabilities, Process } from '../spec/types';
import { SpecError } from '../spec/validate';
import type { CapabilityMasks, LaunchPlan } from './types';

/** Capability names in kernel bit order (linux/capability.h). */
export const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

export const RLIMITS = [
  'RLIMIT_CPU',
  'RLIMIT_FSIZE',
  'RLIMIT_DATA',
  'RLIMIT_STACK',
  'RLIMIT_CORE',
  'RLIMIT_RSS',
  'RLIMIT_NPROC',
  'RLIMIT_NOFILE',
  'RLIMIT_MEMLOCK',
  'RLIMIT_AS',
  'RLIMIT_LOCKS',
  'RLIMIT_SIGPENDING',
  'RLIMIT_MSGQUEUE',
  'RLIMIT_NICE',
  'RLIMIT_RTPRIO',
  'RLIMIT_RTTIME',
] as const;

/** Bits for the names; unknown ones are collected in `unknown` (the caller decides). */
function mask(names: readonly string[] | undefined, unknown: Set<string>): bigint {
  let m = 0n;
  for (const name of names ?? []) {
    const bit = (CAPABILITIES as readonly string[]).indexOf(name);
    if (bit < 0) unknown.add(name);
    else m |= 1n << BigInt(bit);
  }
  return m;
}

/** Unknown capability names are left out and reported through `warn`, as runc 1.1 does, so
 * a config written for a newer kernel still runs on this one. */
export function capabilityMasks(
  caps: Capabilities | undefined,
  warn: (message: string) => void,
): CapabilityMasks | undefined {
  if (!caps) return undefined;
  const unknown = new Set<string>();
  const masks = {
    bounding: mask(caps.bounding, unknown),
    effective: mask(caps.effective, unknown),
    inheritable: mask(caps.inheritable, unknown),
    permitted: mask(caps.permitted, unknown),
    ambient: mask(caps.ambient, unknown),
  };
  if (unknown.size)
    warn(`ignoring unknown or unavailable capabilities: [${[...unknown].join(' ')}]`);
  return masks;
}

type ProcessPlan = Pick<
  LaunchPlan,
  | 'args'
  | 'env'
  | 'cwd'
  | 'user'
  | 'capabilities'
  | 'rlimits'
  | 'noNewPrivileges'
  | 'oomScoreAdj'
  | 'consoleSize'
>;

export function planProcess(process: Process, warn: (message: string) => void): ProcessPlan {
  if (!process.args?.length) throw new SpecError('args must not be empty');
  const rlimits = (process.rlimits ?? []).map((r) => {
    const resource = (RLIMITS as readonly string[]).indexOf(r.type);
    if (resource < 0) throw new SpecError(`wrong rlimit value: ${r.type}`);
    if (r.soft > r.hard)
      throw new SpecError(`rlimit ${r.type}: soft limit is above the hard limit`);
    return { resource, soft: BigInt(r.soft), hard: BigInt(r.hard) };
  });
  return {
    args: process.args,
    env: process.env ?? [],
    cwd: process.cwd,
    user: {
      uid: process.user.uid,
      gid: process.user.gid,
      umask: process.user.umask,
      additionalGids: process.user.additionalGids ?? [],
    },
    capabilities: capabilityMasks(process.capabilities, warn),
    rlimits,
    noNewPrivileges: process.noNewPrivileges ?? false,
    oomScoreAdj: process.oomScoreAdj,
    consoleSize: process.terminal ? process.consoleSize : undefined,
  };
}
