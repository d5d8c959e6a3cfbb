#!/usr/bin/env node
// `ctr run --rm IMG true` end to end, berth against upstream in one run (issue #6): upstream
// containerd 1.6 + containerd-shim-runc-v2 is the baseline; berth-containerd (the bundle in
// services/containerd/dist) runs with containerd-shim-runc-v2 and with berth's shim, and
// upstream containerd with berth's shim shows the shim's share alone. The cases are
// interleaved `runs` times (so load drifts hit all alike); prints medians and each case's
// ratio to the baseline (lower is better for berth). `ctr containers create` alone is timed
// too, as it isolates containerd's metadata path.
//
//   node tools/bench/ctr-run.mjs [--runs 20] [--out tools/bench/results/ctr-run.json] [--shim PATH]
//
// Needs root, Debian's containerd/ctr/runc and the small test image (berth-test-images).
// BERTH_TRACE_DIR, if set, is passed on so that `berth trace show` can break a run down.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { smallImageArchive, median, writeContainerdConfig } from './lib/common.mjs';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    runs: { type: 'string', default: '20' },
    // The shim executable to run as containerd-shim-berth-v1 (default: the native front).
    shim: {
      type: 'string',
      default: join(root, 'services/shim/native/build/containerd-shim-berth-v1'),
    },
  },
});
const runs = Number(values.runs);
const RUNC = 'io.containerd.runc.v2';
const BERTH = 'io.containerd.berth.v1';

execFileSync('make', ['-s', '-C', join(root, 'libs/monitor/native')]);
if (existsSync(join(root, 'services/shim/native/Makefile')))
  execFileSync('make', ['-s', '-C', join(root, 'services/shim/native')]);
for (const pkg of ['services/shim', 'services/containerd'])
  execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), join(root, pkg)]);
const archive = smallImageArchive();

const work = mkdtempSync(join(tmpdir(), 'berth-bench-ctr-run-'));
const bin = join(work, 'bin');
mkdirSync(bin);
symlinkSync(resolve(values.shim), join(bin, 'containerd-shim-berth-v1'));
const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`,
  BERTH_SHIM_STATE: join(work, 'shim-state'),
};
const namespace = `bench-${process.pid}`;
const daemons = [];

try {
  const upstream = await startUpstream(join(work, 'upstream'));
  const berth = await startBerth(join(work, 'berth'));
  const cases = [
    ['upstream containerd + runc-v2', upstream, RUNC],
    ['upstream containerd + berth shim', upstream, BERTH],
    ['berth-containerd + runc-v2', berth, RUNC],
    ['berth-containerd + berth shim', berth, BERTH],
  ];
  const images = new Map();
  for (const daemon of [upstream, berth]) {
    const out = ctr(daemon, ['images', 'import', archive]).match(/unpacking (\S+)/)?.[1];
    if (!out) throw new Error('image import failed');
    images.set(daemon, out);
  }
  // One untimed round warms caches and leaves berth's group server running, as in steady use.
  const samples = cases.map(() => []);
  const creates = [upstream, berth].map(() => []);
  for (let i = -1; i < runs; i++) {
    for (const [n, [, daemon, runtime]] of cases.entries()) {
      const ms = timed(() =>
        ctr(daemon, [
          'run',
          '--runtime',
          runtime,
          '--rm',
          images.get(daemon),
          `run-${n}-${i + 1}`,
          'true',
        ]),
      );
      if (i >= 0) samples[n].push(ms);
    }
    for (const [n, daemon] of [upstream, berth].entries()) {
      const ms = timed(() =>
        ctr(daemon, ['containers', 'create', images.get(daemon), `c-${i + 1}`]),
      );
      ctr(daemon, ['containers', 'rm', `c-${i + 1}`]);
      if (i >= 0) creates[n].push(ms);
    }
  }

  const baseline = median(samples[0]);
  const rows = cases.map(([name], n) => ({
    case: name,
    ms: +median(samples[n]).toFixed(1),
    ratio: +(median(samples[n]) / baseline).toFixed(2),
  }));
  rows.push(
    ...['upstream', 'berth'].map((name, n) => ({
      case: `${name} ctr containers create`,
      ms: +median(creates[n]).toFixed(1),
    })),
  );
  console.log(`ctr run --rm IMG true, median of ${runs} (ratio to upstream containerd + runc-v2):`);
  for (const row of rows)
    console.log(
      `  ${row.case.padEnd(36)} ${row.ms.toFixed(1).padStart(6)} ms${row.ratio === undefined ? '' : `   ${row.ratio.toFixed(2)}x`}`,
    );
  if (values.out) {
    const result = { date: new Date().toISOString(), runs, loadavg: loadavg(), rows };
    writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  for (const stop of daemons.reverse()) await stop();
  killShimServers();
  rmSync(work, { recursive: true, force: true });
  // Both shims keep runc's state where containerd-shim-runc-v2 does.
  rmSync(join('/run/containerd/runc', namespace), { recursive: true, force: true });
  // runc leaves the /<namespace> parent cgroups behind.
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const cgroup = join('/sys/fs/cgroup', hierarchy, namespace);
    if (existsSync(cgroup)) rmdirSync(cgroup);
  }
}

function ctr(daemon, args) {
  const result = spawnSync('ctr', ['-a', daemon.address, '-n', namespace, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`ctr ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function timed(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

async function startUpstream(dir) {
  mkdirSync(dir, { recursive: true });
  const { address, config } = writeContainerdConfig(dir);
  return startDaemon('containerd', ['--config', config], address);
}

async function startBerth(dir) {
  const address = join(dir, 'containerd.sock');
  const args = ['--root', join(dir, 'root'), '--state', join(dir, 'state')];
  return startDaemon(
    join(root, 'services/containerd/dist/berth-containerd.mjs'),
    [...args, '--address', address, '--log-level', 'warn'],
    address,
  );
}

async function startDaemon(command, args, address) {
  const child = spawn(command, args, { stdio: 'ignore', env });
  const exited = new Promise((r) => child.once('exit', r));
  daemons.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  const daemon = { address };
  for (let i = 0; ; i++) {
    if (spawnSync('ctr', ['-a', address, 'version']).status === 0) return daemon;
    if (child.exitCode !== null || i > 200) throw new Error(`${command} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The berth group servers this bench started (found by their socket under `work`). */
function killShimServers() {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (argv.includes(work) && argv.includes('\0serve')) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}
