// config.json (validated) to a LaunchPlan: the one place that decides what the launcher does.
import { resolve } from 'node:path';
import type { Hook, Process, Spec } from '../spec/types';
import { SpecError } from '../spec/validate';
import { planDevices } from './devices';
import { PROPAGATION } from './mount-options';
import { planMounts, type CgroupLayout } from './mounts';
import { CLONE_FLAGS, hostId, planNamespaces, PROC_NS_NAME } from './namespaces';
import { planProcess } from './process';
import { compileSeccomp, seccompFlags } from './seccomp';
import type { LaunchPlan, PlanHook } from './types';

/** What the plan needs to know about the host; read once per process (see host.ts). */
export interface HostInfo {
  cgroups: CgroupLayout;
  hasKcore: boolean;
}

export interface InitOptions {
  bundle: string;
  host: HostInfo;
  seccompCacheDir: string;
  execFifo?: string;
  consoleSocket?: string;
  foreground?: boolean;
  noPivot?: boolean;
  /** State JSON for hooks, split where the pid goes. */
  hookState?: [string, string];
  /** Where runc would log a warning (ignored capabilities, skipped rootfs setup). */
  warn?: (message: string) => void;
}

const ignore = () => undefined;

/** Without a mount namespace the rootfs setup would land in the host's mount table (runc
 * does that and leaves the mounts behind); berth only enters the root with chroot. */
function warnSkippedRootfsSetup(spec: Spec, warn: (message: string) => void): void {
  const skipped = [
    spec.mounts?.length && 'mounts',
    spec.linux?.devices?.length && 'devices',
    spec.linux?.maskedPaths?.length && 'maskedPaths',
    spec.linux?.readonlyPaths?.length && 'readonlyPaths',
    spec.root?.readonly && 'root.readonly',
    spec.linux?.rootfsPropagation && 'rootfsPropagation',
  ].filter(Boolean);
  if (skipped.length)
    warn(`no mount namespace: ${skipped.join(', ')} not applied, the root is entered with chroot`);
}

const sysctlPath = (key: string) => key.replace(/\./g, '/');

function planHooks(phase: PlanHook['phase'], hooks: Hook[] | undefined): PlanHook[] {
  return (hooks ?? []).map((h) => ({
    phase,
    path: h.path,
    args: h.args ?? [],
    env: h.env ?? [],
    timeout: h.timeout ?? 0,
  }));
}

async function seccompPlan(spec: Spec, cacheDir: string): Promise<LaunchPlan['seccomp']> {
  const profile = spec.linux?.seccomp;
  if (!profile) return undefined;
  return { bpf: await compileSeccomp(profile, cacheDir), flags: seccompFlags(profile) };
}

/** Labels need an LSM berth does not drive; refusing beats running unconfined (as runc does
 * when the LSM is absent). */
function refuseSecurityLabels(spec: Spec): void {
  if (spec.process?.apparmorProfile)
    throw new SpecError('apparmor profile specified but berth-runc does not support AppArmor');
  if (spec.process?.selinuxLabel || spec.linux?.mountLabel)
    throw new SpecError('selinux label specified but berth-runc does not support SELinux');
}

export async function buildInitPlan(spec: Spec, opts: InitOptions): Promise<LaunchPlan> {
  if (!spec.process) throw new SpecError('process property must not be empty');
  refuseSecurityLabels(spec);
  if (!spec.root?.path) throw new SpecError('root must be specified');
  const linux = spec.linux;
  const ns = planNamespaces(linux);
  const warn = opts.warn ?? ignore;
  // As runc, the rootfs is set up in the container's mount namespace, new or joined.
  const newMountNs =
    (ns.cloneFlags & CLONE_FLAGS.mount) !== 0 || ns.join.some((j) => j.flag === CLONE_FLAGS.mount);
  if (!newMountNs) warnSkippedRootfsSetup(spec, warn);
  const rootPath = resolve(opts.bundle, spec.root.path);
  const rootUid = hostId(linux?.uidMappings, 0);
  const rootGid = hostId(linux?.gidMappings, 0);
  const dev = planDevices(linux?.devices, spec.mounts, rootUid, rootGid, opts.host.hasKcore);
  const propagation = linux?.rootfsPropagation ? (PROPAGATION[linux.rootfsPropagation] ?? 0) : 0;
  return {
    mode: 'init',
    foreground: opts.foreground ?? false,
    ...ns,
    rootfs: newMountNs
      ? {
          path: rootPath,
          readonly: spec.root.readonly ?? false,
          noPivot: opts.noPivot ?? false,
          propagation,
        }
      : undefined,
    chroot: newMountNs ? undefined : rootPath,
    mounts: newMountNs ? planMounts(spec.mounts, opts.bundle, opts.host.cgroups) : [],
    devices: newMountNs ? dev.devices : [],
    symlinks: newMountNs ? dev.symlinks : [],
    maskedPaths: newMountNs ? (linux?.maskedPaths ?? []) : [],
    readonlyPaths: newMountNs ? (linux?.readonlyPaths ?? []) : [],
    hostname: spec.hostname,
    domainname: spec.domainname,
    sysctls: Object.entries(linux?.sysctl ?? {}).map(([k, v]) => [sysctlPath(k), v]),
    ...planProcess(spec.process, warn),
    seccomp: await seccompPlan(spec, opts.seccompCacheDir),
    execFifo: opts.execFifo ? { path: opts.execFifo, uid: rootUid } : undefined,
    consoleSocket: opts.consoleSocket,
    hooks: [
      ...planHooks('createContainer', spec.hooks?.createContainer),
      ...planHooks('startContainer', spec.hooks?.startContainer),
    ],
    hookState: opts.hookState,
    runtimeHooks: Boolean(spec.hooks?.prestart?.length || spec.hooks?.createRuntime?.length),
  };
}

export interface ExecOptions {
  /** The container's init pid, whose namespaces the process joins. */
  pid: number;
  /** Namespace types that differ from the runtime's own (joining your own user ns fails). */
  namespaces: (keyof typeof PROC_NS_NAME)[];
  seccompCacheDir: string;
  consoleSocket?: string;
  foreground?: boolean;
  /** The container's root when it shares the runtime's mount namespace (entered with chroot). */
  chroot?: string;
  warn?: (message: string) => void;
}

/** A process joining a running container, configured like runc exec: the container's
 * seccomp profile applies, the process's own credentials and capabilities. */
export async function buildExecPlan(
  spec: Spec,
  process: Process,
  opts: ExecOptions,
): Promise<LaunchPlan> {
  refuseSecurityLabels({ ociVersion: spec.ociVersion, process });
  // User namespace first so the others are joined with its privileges (the launcher does).
  const join = opts.namespaces.map((type) => ({
    flag: CLONE_FLAGS[type],
    path: `/proc/${opts.pid}/ns/${PROC_NS_NAME[type]}`,
  }));
  return {
    mode: 'exec',
    foreground: opts.foreground ?? false,
    cloneFlags: 0,
    join,
    chroot: opts.chroot,
    mounts: [],
    devices: [],
    symlinks: [],
    maskedPaths: [],
    readonlyPaths: [],
    sysctls: [],
    ...planProcess(process, opts.warn ?? ignore),
    seccomp: await seccompPlan(spec, opts.seccompCacheDir),
    consoleSocket: opts.consoleSocket,
    hooks: [],
    runtimeHooks: false,
  };
}
