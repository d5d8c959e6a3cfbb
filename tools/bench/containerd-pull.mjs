#!/usr/bin/env node
// Benchmarks berth-containerd against upstream containerd (Debian's 1.6, private root,
// state and socket under /tmp) in one run: the same upstream `ctr images pull --plain-http`
// pulls and unpacks the 256 MiB image and the 100-layer image from a loopback
// docker-registry into each daemon, starting from an empty root every run. Prints seconds
// per pull and the upstream/berth ratio (higher is better for berth).
//
//   node --import tsx tools/bench/containerd-pull.mjs [--runs 3] [--out tools/bench/results/containerd-pull.json]
//
// Runs under tsx because it builds its images with @berth/test-images. berth-containerd runs
// from its bundle (services/containerd/dist, rebuilt here first), as installed. Needs root,
// containerd, ctr, docker-registry and skopeo.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ensureTestImages } from '@berth/test-images';
import { median, writeContainerdConfig } from './lib/common.mjs';

const exec = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BERTH_BIN = join(repoRoot, 'services/containerd/dist/berth-containerd.mjs');
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    runs: { type: 'string', default: '3' },
    // A subset of the cases, e.g. --images many, when profiling one of them.
    images: { type: 'string', default: 'big,many' },
  },
});
const runs = Number(values.runs);
// Extra node flags for berth-containerd, e.g. BERTH_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const nodeArgs = (process.env.BERTH_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const REGISTRY = '127.0.0.1:5911';
const CLOCK_TICKS = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check, what) {
  for (let i = 0; i < 300; i++) {
    if (
      await check().then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(50);
  }
  throw new Error(`${what} did not start`);
}

function stopper(child) {
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

const ctr = (address, ...args) =>
  exec('ctr', ['--address', address, ...args], { maxBuffer: 64 << 20 });

async function startUpstream(dir) {
  const { address, config } = writeContainerdConfig(dir);
  const child = spawn('containerd', ['--config', config], { stdio: 'ignore' });
  await waitFor(() => ctr(address, 'version'), 'upstream containerd');
  return { address, pid: child.pid, stop: stopper(child) };
}

async function startBerth(dir) {
  const address = join(dir, 'containerd.sock');
  const args = [
    ...nodeArgs,
    BERTH_BIN,
    '--root',
    `${dir}/root`,
    '--state',
    `${dir}/state`,
    '--address',
    address,
    '--log-level',
    'warn',
  ];
  const child = spawn(process.execPath, args, { stdio: 'ignore', cwd: repoRoot });
  await waitFor(() => ctr(address, 'version'), 'berth-containerd');
  return { address, pid: child.pid, stop: stopper(child) };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
async function cpuSeconds(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of proc(5), counted from the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * Wall seconds and daemon CPU seconds for one cold pull + unpack into a fresh daemon. On a
 * loaded machine wall time swings with everyone else's work; the daemon's CPU time does not.
 */
async function timePull(start, ref, work) {
  const dir = await mkdtemp(join(work, 'daemon-'));
  const daemon = await start(dir);
  try {
    const cpu0 = await cpuSeconds(daemon.pid);
    const t0 = process.hrtime.bigint();
    await ctr(daemon.address, 'images', 'pull', '--plain-http', ref);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = (await cpuSeconds(daemon.pid)) - cpu0;
    const { stdout } = await ctr(daemon.address, 'images', 'check');
    if (!/complete/.test(stdout) || !/true\s*$/m.test(stdout))
      throw new Error(`incomplete pull of ${ref}:\n${stdout}`);
    return { seconds, cpu };
  } finally {
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await exec(process.execPath, [
  join(repoRoot, 'scripts/bundle.mjs'),
  join(repoRoot, 'services/containerd'),
]);
const loadBefore = loadavg();
const images = await ensureTestImages(['big', 'many']);
const work = await mkdtemp(join(tmpdir(), 'berth-bench-containerd-'));
await mkdir(join(work, 'registry'));
await writeFile(
  join(work, 'registry.yml'),
  `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${work}/registry\nhttp:\n  addr: ${REGISTRY}\n`,
);
const registry = spawn('docker-registry', ['serve', join(work, 'registry.yml')], {
  stdio: 'ignore',
});
const rows = [];
try {
  await waitFor(() => fetch(`http://${REGISTRY}/v2/`), 'docker-registry');
  const cases = [
    ['pull + unpack 256 MiB image (s)', 'big'],
    ['pull + unpack 100-layer image (s)', 'many'],
  ];
  for (const [metric, name] of cases.filter(([, n]) => values.images.split(',').includes(n))) {
    const img = images[name];
    const ref = `${REGISTRY}/${name}:latest`;
    await exec('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci:${img.ociLayout}:${img.tag}`,
      `docker://${ref}`,
    ]);
    const samples = { upstream: [], berth: [] };
    for (let i = 0; i < runs; i++) {
      samples.upstream.push(await timePull(startUpstream, ref, work));
      samples.berth.push(await timePull(startBerth, ref, work));
    }
    const upstream = median(samples.upstream.map((s) => s.seconds));
    const berth = median(samples.berth.map((s) => s.seconds));
    const upstreamCpu = median(samples.upstream.map((s) => s.cpu));
    const berthCpu = median(samples.berth.map((s) => s.cpu));
    rows.push({
      metric,
      upstream: +upstream.toFixed(3),
      berth: +berth.toFixed(3),
      ratio: +(upstream / berth).toFixed(2),
      upstreamCpu: +upstreamCpu.toFixed(2),
      berthCpu: +berthCpu.toFixed(2),
      cpuRatio: +(upstreamCpu / berthCpu).toFixed(2),
      // Every run, for judging the spread on a shared machine: [wall s, daemon CPU s].
      runs: Object.fromEntries(
        Object.entries(samples).map(([k, xs]) => [
          k,
          xs.map((x) => [+x.seconds.toFixed(3), +x.cpu.toFixed(2)]),
        ]),
      ),
    });
    console.log(
      `${metric}: upstream ${upstream.toFixed(3)}  berth ${berth.toFixed(3)}  upstream/berth ${(upstream / berth).toFixed(2)}` +
        `  (daemon CPU s: upstream ${upstreamCpu.toFixed(2)}  berth ${berthCpu.toFixed(2)})`,
    );
  }
} finally {
  await stopper(registry)();
  await rm(work, { recursive: true, force: true });
}
const result = {
  date: new Date().toISOString(),
  runs,
  // 1, 5 and 15-minute load averages when the bench started and when it ended.
  loadavg: {
    start: loadBefore.map((x) => +x.toFixed(2)),
    end: loadavg().map((x) => +x.toFixed(2)),
  },
  rows,
};
if (values.out) await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
