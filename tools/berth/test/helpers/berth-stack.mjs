// The whole berth stack from this checkout's bundles, as `berth up` runs it but private:
// berth-containerd and berth-dockerd as processes, containerd-shim-berth-v1 and berth-runc
// found on their PATH, every socket, state directory and the trace store under one temp dir,
// containers' cgroups below our own. Started and stopped by pid. Used by
// tools/berth/test/e2e-trace.test.ts, tools/bench/tracing-overhead.mjs and trace-compare.mjs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../../..');
const PACKAGES = ['services/containerd', 'services/dockerd', 'services/shim', 'services/runtime'];
const NATIVE = ['libs/oci/native', 'libs/monitor/native', 'services/shim/native'];
const BUILD_LOCK = join(tmpdir(), 'berth-stack-build.lock');
const DOCKER = 'docker';

function newestMtime(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The executables a package declares ("bin"), as absolute paths: the bundle, and the native
 * front that stands in for it once built ("berth": {"native"}), as setup installs them. */
function binaries(pkg) {
  const { bin = {}, berth } = JSON.parse(readFileSync(join(REPO, pkg, 'package.json'), 'utf8'));
  return Object.entries(bin).map(([name, file]) => {
    const front = berth?.native?.[name] && join(REPO, pkg, berth.native[name]);
    return { name, path: join(REPO, pkg, file), installed: front ?? join(REPO, pkg, file) };
  });
}

/**
 * Builds the native helpers and bundles every package of the stack whose sources (or the
 * libs') are newer than its bundle, as CI's `nx run-many -t build` would. Serialised with
 * flock: test files run in parallel workers.
 */
export function buildStack() {
  const libsNewest = newestMtime(join(REPO, 'libs'));
  const stale = PACKAGES.filter((pkg) =>
    binaries(pkg).some(({ path }) => {
      const built = existsSync(path) ? statSync(path).mtimeMs : 0;
      return Math.max(libsNewest, newestMtime(join(REPO, pkg, 'src'))) > built;
    }),
  );
  const steps = [
    ...NATIVE.map((dir) => `make -s -C ${JSON.stringify(join(REPO, dir))}`),
    ...stale.map(
      (pkg) =>
        `${JSON.stringify(process.execPath)} ${JSON.stringify(join(REPO, 'scripts/bundle.mjs'))} ${JSON.stringify(join(REPO, pkg))} >/dev/null`,
    ),
  ];
  execFileSync('flock', [BUILD_LOCK, 'sh', '-c', steps.join(' && ')], { stdio: 'inherit' });
}

const ownCgroup =
  readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1] === 'memory')
    ?.split(':')[2] ?? '/';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Pids of the processes whose command line names a file in `dir`. */
function processesRunning(dir) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(`${dir}/`))
        pids.push(Number(name));
    } catch {
      // the process exited while we looked
    }
  }
  return pids;
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
function mountsUnder(dir) {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point) => point && (point === dir || point.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * Starts berth-containerd and berth-dockerd (call buildStack first). `tracing: false` sets
 * BERTH_TRACING=off for the daemons (and so for the shims and runtimes under them).
 * Returns the docker -H address, the trace store, the daemons' pids and stop().
 */
export async function startBerthStack({ tracing = true, dockerdArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-stack-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const pkg of PACKAGES)
    for (const { name, installed } of binaries(pkg)) symlinkSync(installed, join(bin, name));
  const traceDir = join(dir, 'traces');
  const cgroupParent = join(ownCgroup, `berth-stack-${process.pid}-${Date.now() % 1e6}`);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    BERTH_TRACE_DIR: traceDir,
    BERTH_TRACING: tracing ? 'on' : 'off',
    BERTH_SHIM_STATE: join(dir, 'shim-state'),
    BERTH_LOG_LEVEL: 'warn',
  };
  delete env.TRACEPARENT;
  delete env.TRACESTATE;
  const started = [];
  const run = (name, args) => {
    const child = spawn(join(bin, name), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c) => (log = (log + c).slice(-8192)));
    started.push({ name, child, log: () => log });
    return child;
  };
  const containerdSocket = join(dir, 'containerd', 'containerd.sock');
  const dockerSocket = join(dir, 'docker.sock');
  const host = `unix://${dockerSocket}`;

  const stop = async () => {
    for (const { child } of [...started].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => r(clearTimeout(timer)));
      });
    }
    for (const hierarchy of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
      try {
        rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroupParent));
      } catch {
        // no directory for our parent in that hierarchy
      }
    }
    // Shims outlive their containerd by design (they keep containers across its restarts):
    // ours are the ones whose command line names this stack's directory (its containerd).
    for (const pid of processesRunning(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    // What the daemons left mounted under the dir (pinned network namespaces) goes first.
    for (const mount of mountsUnder(dir)) spawnSync('umount', ['-l', mount], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };

  const waitFor = async (name, ready) => {
    const { child, log } = started.find((s) => s.name === name);
    for (let i = 0; i < 600; i++) {
      if (ready()) return;
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`${name} did not come up:\n${log()}`);
  };

  try {
    run('berth-containerd', [
      ...['--root', join(dir, 'containerd', 'root')],
      ...['--state', join(dir, 'containerd')],
      ...['--address', containerdSocket],
    ]);
    await waitFor('berth-containerd', () => existsSync(containerdSocket));
    run('berth-dockerd', [
      ...['-H', host, '--containerd', containerdSocket],
      ...['--data-root', join(dir, 'dockerd'), '--exec-root', join(dir, 'dockerd-exec')],
      ...['--group', 'root', '--cgroup-parent', cgroupParent, ...dockerdArgs],
    ]);
    await waitFor(
      'berth-dockerd',
      () => spawnSync(DOCKER, ['-H', host, 'version'], { stdio: 'ignore' }).status === 0,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    dir,
    traceDir,
    pids: Object.fromEntries(started.map((s) => [s.name, s.child.pid])),
    stop,
  };
}

/** Milliseconds of one `docker run --rm <args> <image> true` through the docker CLI. */
export function timeDockerRun(host, image, args = []) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(DOCKER, ['-H', host, 'run', '--rm', ...args, image, 'true']);
  if (res.status !== 0) {
    throw new Error(`docker run ${args.join(' ')} ${image} failed: ${res.stderr}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
