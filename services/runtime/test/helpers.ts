// The bundled berth-runc, built once per test file, and a busybox bundle to run it on.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rmdir, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultSpec, type Spec } from '@berth/oci';

const pkg = resolve(import.meta.dirname, '..');
export const BERTH_RUNC = join(pkg, 'dist/berth-runc.mjs');

/** Bundles the CLI unless dist is newer than every source; test files in parallel workers
 * share one build (under a lock) instead of deleting dist under each other's feet. */
export function buildCli(): void {
  const stale =
    '[ ! -e dist/berth-runc.mjs ] || [ -n "$(find src ../../libs/*/src -newer dist/berth-runc.mjs | head -1)" ]';
  execFileSync(
    'flock',
    [
      join(tmpdir(), 'berth-runtime-build.lock'),
      'sh',
      '-c',
      `if ${stale}; then node ../../scripts/bundle.mjs .; fi`,
    ],
    { cwd: pkg },
  );
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs berth-runc. `detached`: no pipes, as a container started by it would hold them open. */
export function cli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): Promise<Result> {
  if (opts.detached) {
    return new Promise((res) =>
      spawn(BERTH_RUNC, args, { stdio: 'ignore' }).on('exit', (code) =>
        res({ code: code ?? 1, stdout: '', stderr: '' }),
      ),
    );
  }
  return new Promise((res) => {
    execFile(BERTH_RUNC, args, { env: { ...process.env, ...opts.env } }, (err, stdout, stderr) =>
      res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A cgroup parent below our own cgroup, for everything these tests create. */
export const CGROUP_PARENT = `berth-runtime-test-${process.pid}`;

export async function removeCgroupParent(): Promise<void> {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    const mount = controllers === '' ? 'unified' : controllers.replace(/^name=/, '');
    await rmdir(join('/sys/fs/cgroup', mount, path, CGROUP_PARENT)).catch(() => undefined);
  }
}

export async function makeBundle(edit: (s: Spec) => void = () => undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-runtime-'));
  await chmod(dir, 0o755);
  const rootfs = join(dir, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin/busybox'));
  for (const a of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n'))
    if (a && a !== 'busybox') await symlink('busybox', join(rootfs, 'bin', a));
  for (const d of ['proc', 'sys', 'dev', 'tmp']) await mkdir(join(rootfs, d));
  const spec = defaultSpec();
  spec.process!.terminal = false;
  spec.linux!.cgroupsPath = `${CGROUP_PARENT}/${Math.random().toString(36).slice(2)}`;
  edit(spec);
  await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
  return dir;
}
