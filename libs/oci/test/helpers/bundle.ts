// Test bundles: a busybox rootfs (static busybox plus relative applet links) in a tmpdir and
// a config.json from the default spec, with the test's changes applied.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  rmdir,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec, Runtime, type Spec } from '../../src/index';

const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

export async function makeRootfs(dir: string): Promise<void> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(dir, 'bin/busybox'));
  await Promise.all(
    applets.filter((a) => a !== 'busybox').map((a) => symlink('busybox', join(dir, 'bin', a))),
  );
  for (const d of ['proc', 'sys', 'dev', 'etc', 'tmp']) await mkdir(join(dir, d));
}

/** The cgroup tests may use: below our own cgroup, never elsewhere on the host. */
export const TEST_CGROUP_PARENT = `berth-oci-test-${process.pid}`;

export interface TestBundle {
  dir: string;
  rootfs: string;
  root: string;
  runtime: Runtime;
  out: string;
  write(edit: (spec: Spec) => void): Promise<void>;
  /** Runs the container in the foreground; resolves to its exit status and output. */
  run(id: string, edit?: (spec: Spec) => void): Promise<{ code: number; output: string }>;
  cleanup(): Promise<void>;
}

export async function makeBundle(): Promise<TestBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-oci-'));
  // Traversable by a container root mapped to another host uid (user namespace tests).
  await chmod(dir, 0o755);
  const rootfs = join(dir, 'rootfs');
  const root = join(dir, 'state');
  const out = join(dir, 'output');
  await makeRootfs(rootfs);
  const runtime = new Runtime({ root });
  const bundle: TestBundle = {
    dir,
    rootfs,
    root,
    runtime,
    out,
    async write(edit) {
      const spec = defaultSpec();
      spec.process!.terminal = false;
      spec.root!.readonly = false;
      spec.linux!.cgroupsPath = `${TEST_CGROUP_PARENT}/${Math.random().toString(36).slice(2)}`;
      edit(spec);
      await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
    },
    async run(id, edit = () => undefined) {
      await bundle.write(edit);
      const fd = openSync(out, 'w');
      try {
        const code = await (
          await runtime.run(id, { bundle: dir, stdio: ['ignore', fd, fd] })
        ).exited;
        return { code, output: readFileSync(out, 'utf8') };
      } finally {
        closeSync(fd);
      }
    },
    async cleanup() {
      for (const id of await runtime.store.list())
        await runtime.delete(id, true).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      await removeTestCgroups();
    },
  };
  return bundle;
}

/** Removes TEST_CGROUP_PARENT (empty once its containers are deleted) from each hierarchy. */
export async function removeTestCgroups(): Promise<void> {
  for (const line of (await readFile('/proc/self/cgroup', 'utf8')).split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    const mount = controllers === '' ? 'unified' : controllers.replace(/^name=/, '');
    await rmdir(join('/sys/fs/cgroup', mount, path, TEST_CGROUP_PARENT)).catch(() => undefined);
  }
}
