// Docker's security options for a container's spec: --security-opt (seccomp, no-new-
// privileges, apparmor, label), the seccomp filter for the container's arch and
// capabilities (berth's default profile or one the client sent), and devices (--device,
// every host device with --privileged).
import { readdirSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { invalidParameter } from '../api/errors';
import type { HostConfig } from './record';
import {
  ARCH_MAP,
  DEFAULT_RULES,
  EPERM,
  type ProfileRule,
  type SeccompArg,
} from './seccomp-profile';

export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** '' (the default profile), 'unconfined', 'builtin', or a profile's JSON text. */
  seccomp: string;
}

/** A profile in Docker's format (what `--security-opt seccomp=file.json` sends). */
export interface DockerProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  archMap?: { architecture: string; subArchitectures: string[] | null }[];
  architectures?: string[];
  flags?: string[];
  syscalls?: (Omit<ProfileRule, 'purpose' | 'names' | 'action'> & {
    names?: string[];
    name?: string;
    action: string;
  })[];
}

export interface LinuxSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  flags?: string[];
  syscalls: { names: string[]; action: string; errnoRet?: number; args?: SeccompArg[] }[];
}

/** Go's GOARCH names, as profiles' includes/excludes use them, for Node's process.arch. */
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  s390x: 's390x',
  ppc64: 'ppc64le',
  riscv64: 'riscv64',
};
const NATIVE_SECCOMP_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  s390x: 'SCMP_ARCH_S390X',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  riscv64: 'SCMP_ARCH_RISCV64',
};

export const DEFAULT_PROFILE: DockerProfile = {
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: EPERM,
  archMap: Object.entries(ARCH_MAP).map(([architecture, all]) => ({
    architecture,
    subArchitectures: all.filter((a) => a !== architecture),
  })),
  syscalls: DEFAULT_RULES.map(({ purpose: _purpose, ...rule }) => rule),
};

const BOOLEAN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** Reads --security-opt values as moby's parseSecurityOpt does. */
export function parseSecurityOpts(opts: readonly string[] | null | undefined): SecurityOptions {
  const parsed: SecurityOptions = { noNewPrivileges: false, seccomp: '' };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') {
      parsed.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue; // SELinux labelling: berth applies no labels
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : '';
    if (!sep) throw invalidParameter(`invalid --security-opt 1: "${opt}"`);
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    switch (key) {
      case 'seccomp':
        parsed.seccomp = value;
        break;
      case 'no-new-privileges':
      case 'writable-cgroups': {
        const flag = BOOLEAN[value.toLowerCase()];
        if (flag === undefined) throw invalidParameter(`invalid --security-opt 2: "${opt}"`);
        if (key === 'no-new-privileges') parsed.noNewPrivileges = flag;
        break;
      }
      case 'label':
      case 'apparmor':
        // Neither SELinux nor AppArmor is applied by berth: accepted, as dockerd accepts
        // them on hosts where the LSM is not enabled.
        break;
      default:
        throw invalidParameter(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return parsed;
}

/** Kernel version as [major, minor] from a release string ("6.1.0-18-amd64"). */
function kernelAtLeast(min: string, kernel: string): boolean {
  const [kMaj = 0, kMin = 0] = kernel.split(/[.-]/).map(Number);
  const [mMaj = 0, mMin = 0] = min.split('.').map(Number);
  return kMaj > mMaj || (kMaj === mMaj && kMin >= mMin);
}

export interface Platform {
  /** GOARCH name of the host. */
  arch: string;
  kernel: string;
}

export const HOST_PLATFORM: Platform = {
  arch: GOARCH[process.arch] ?? process.arch,
  kernel: release(),
};

/** A Docker-format profile as the OCI filter for this arch and these capabilities. */
export function resolveProfile(
  profile: DockerProfile,
  caps: readonly string[],
  platform: Platform = HOST_PLATFORM,
): LinuxSeccomp {
  const { arch, kernel } = platform;
  const native = NATIVE_SECCOMP_ARCH[arch];
  const architectures = profile.archMap?.length
    ? profile.archMap
        .filter((a) => a.architecture === native)
        .flatMap((a) => [a.architecture, ...(a.subArchitectures ?? [])])
    : (profile.architectures ?? []);
  const syscalls: LinuxSeccomp['syscalls'] = [];
  for (const rule of profile.syscalls ?? []) {
    if (rule.name && rule.names?.length)
      throw invalidParameter(
        "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'",
      );
    const { includes = {}, excludes = {} } = rule;
    const excluded =
      excludes.arches?.includes(arch) ||
      excludes.caps?.some((c) => caps.includes(c)) ||
      (excludes.minKernel !== undefined && kernelAtLeast(excludes.minKernel, kernel));
    const included =
      (!includes.arches?.length || includes.arches.includes(arch)) &&
      (includes.caps ?? []).every((c) => caps.includes(c)) &&
      (includes.minKernel === undefined || kernelAtLeast(includes.minKernel, kernel));
    if (excluded || !included) continue;
    syscalls.push({
      names: rule.name ? [rule.name] : (rule.names ?? []),
      action: rule.action,
      ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
      ...(rule.args?.length ? { args: rule.args } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    architectures,
    ...(profile.flags?.length ? { flags: profile.flags } : {}),
    syscalls,
  };
}

/** The container's seccomp filter, or undefined when it runs unconfined. */
export function containerSeccomp(
  host: HostConfig,
  options: SecurityOptions,
  caps: readonly string[],
  platform: Platform = HOST_PLATFORM,
): LinuxSeccomp | undefined {
  if (options.seccomp === 'unconfined' || host.Privileged) return undefined;
  if (options.seccomp === '' || options.seccomp === 'builtin')
    return resolveProfile(DEFAULT_PROFILE, caps, platform);
  let custom: DockerProfile;
  try {
    custom = JSON.parse(options.seccomp) as DockerProfile;
  } catch (err) {
    throw invalidParameter(`Decoding seccomp profile failed: ${(err as Error).message}`);
  }
  if (typeof custom !== 'object' || custom === null || typeof custom.defaultAction !== 'string')
    throw invalidParameter('Decoding seccomp profile failed: defaultAction is required');
  return resolveProfile(custom, caps, platform);
}

export interface LinuxDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface DeviceRule {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access: string;
}

// Directories of /dev that hold no devices a privileged container should get (runc's list).
const SKIPPED_DEV_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);

function deviceAt(hostPath: string, containerPath: string): LinuxDevice | undefined {
  const st = statSync(hostPath, { bigint: true });
  const type = st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined;
  if (!type) return undefined;
  const dev = st.rdev;
  return {
    path: containerPath,
    type,
    major: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)),
    minor: Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)),
    fileMode: Number(st.mode & 0o777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

/** Every character and block device below `dir`, mapped to the same place below `target`. */
function devicesBelow(dir: string, target: string): LinuxDevice[] {
  const found: LinuxDevice[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DEV_DIRS.has(entry.name))
        found.push(...devicesBelow(path, join(target, entry.name)));
    } else if (entry.name !== 'console' && !entry.isSymbolicLink()) {
      const device = deviceAt(path, join(target, entry.name));
      if (device) found.push(device);
    }
  }
  return found;
}

/** The device nodes a container gets and the cgroup rules that let it use them. */
export function containerDevices(
  host: HostConfig,
  devRoot = '/dev',
): { devices: LinuxDevice[]; rules: DeviceRule[] } {
  if (host.Privileged)
    return { devices: devicesBelow(devRoot, '/dev'), rules: [{ allow: true, access: 'rwm' }] };
  const devices: LinuxDevice[] = [];
  const rules: DeviceRule[] = [{ allow: false, access: 'rwm' }];
  for (const wanted of host.Devices ?? []) {
    const source = wanted.PathOnHost;
    const target = wanted.PathInContainer || source;
    const access = wanted.CgroupPermissions || 'rwm';
    let found: LinuxDevice[];
    try {
      found = statSync(source).isDirectory()
        ? devicesBelow(source, target)
        : [deviceAt(source, target)].filter((d) => d !== undefined);
    } catch (err) {
      throw invalidParameter(
        `error gathering device information while adding custom device "${source}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`,
      );
    }
    if (found.length === 0)
      throw invalidParameter(
        `error gathering device information while adding custom device "${source}": not a device node`,
      );
    for (const d of found) {
      devices.push(d);
      rules.push({ allow: true, type: d.type, major: d.major, minor: d.minor, access });
    }
  }
  return { devices, rules };
}
