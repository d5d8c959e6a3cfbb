// A podman confined to a scratch directory and to cgroups below the test's own, so the test
// leaves nothing behind on the host: storage, run state and cgroups are all removed after.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, scratchDir } from './helpers';

interface CgroupPlan {
  parent: string;
  /** Cgroup filesystem mount points (v1 hierarchies and the v2 one). */
  mounts: string[];
  /** Per mount, the ancestors of `parent` that existed before podman ran. */
  existed: Map<string, Set<string>>;
}

/** Our own cgroup in every hierarchy; podman's parent must sit below all of them at once. */
function planCgroups(): CgroupPlan | string {
  const ours = readFileSync('/proc/self/cgroup', 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(':').slice(2).join(':'));
  const deepest = ours.reduce((a, b) => (b.length > a.length ? b : a), '/');
  const conflicting = ours.find((path) => path !== '/' && !`${deepest}/`.startsWith(`${path}/`));
  if (conflicting) return `own cgroups ${conflicting} and ${deepest} have no common subtree`;
  const parent = `${deepest === '/' ? '' : deepest}/berth-test-images-${process.pid}`;
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => /^cgroup2?$/.test(fields[fields.indexOf('-') + 1] ?? ''))
    .map((fields) => fields[4]!);
  const existed = new Map(
    mounts.map((mount) => [
      mount,
      new Set(ancestors(parent).filter((p) => existsSync(join(mount, p)))),
    ]),
  );
  return { parent, mounts, existed };
}

const ancestors = (path: string) =>
  path
    .split('/')
    .filter(Boolean)
    .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);

/** rmdir the parent's subtree and any ancestor podman had to create, deepest first. */
async function removeCgroups(plan: CgroupPlan): Promise<void> {
  async function removeTree(dir: string): Promise<void> {
    if (!existsSync(dir)) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await removeTree(join(dir, entry.name));
    }
    await rmdir(dir);
  }
  for (const mount of plan.mounts) {
    const existed = plan.existed.get(mount)!;
    for (const path of ancestors(plan.parent).reverse()) {
      if (existed.has(path)) break;
      await removeTree(join(mount, path));
    }
  }
}

export interface PodmanSandbox {
  podman(...args: string[]): Promise<string>;
  /** `podman run --rm` with no network; returns stdout. */
  run(image: string, script: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Returns a reason instead when podman cannot run containers here. */
export async function podmanSandbox(): Promise<PodmanSandbox | string> {
  const plan = planCgroups();
  if (typeof plan === 'string') return plan;
  const scratch = await scratchDir('podman');
  const global = [
    ...['--root', join(scratch.dir, 'storage'), '--runroot', join(scratch.dir, 'run')],
    ...['--tmpdir', join(scratch.dir, 'tmp'), '--storage-driver', 'vfs'],
    // Hybrid v1/v2 hosts: crun refuses them ("cgroups in hybrid mode not supported"), runc copes.
    ...['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'],
  ];
  const podman = async (...args: string[]) =>
    (await run('podman', [...global, ...args], { timeout: 60_000 })).stdout;
  return {
    podman,
    run: (image, script) =>
      podman(
        'run',
        '--rm',
        '--network',
        'none',
        '--cgroup-parent',
        plan.parent,
        // podman's default rlimits exceed this host's hard limits, which only
        // CAP_SYS_RESOURCE could raise; stay below them.
        ...['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'],
        image,
        'sh',
        '-c',
        script,
      ),
    cleanup: async () => {
      await podman('rm', '--all', '--force').catch(() => undefined);
      await removeCgroups(plan);
      await scratch.cleanup();
    },
  };
}
