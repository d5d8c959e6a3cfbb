// containerd-shim-berth-v1 against containerd-shim-runc-v2 on one upstream containerd (1.6):
//   node tools/bench/shim.mjs [containers=30] [runs=10]
// 1. `ctr run --rm IMG true` latency, the two runtimes interleaved `runs` times (median, ms).
// 2. `containerd-shim-berth-v1 start` (the native front) wall time when its group server
//    runs (what containerd waits for per container), next to a bare `node -e 0`.
// 3. Memory per running container: N `sleep` containers per runtime, then the summed PSS
//    (/proc/<pid>/smaps_rollup) of that runtime's shim-side processes divided by N — for
//    berth the group server plus one berth-monitor per container, for runc one
//    containerd-shim-runc-v2 per container.
// Needs root, Debian's containerd/ctr/runc, and the test image cache (run the shim tests once).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smallImageArchive, median, writeContainerdConfig } from './lib/common.mjs';

const root = resolve(import.meta.dirname, '../..');
const containers = Number(process.argv[2] ?? 30);
const runs = Number(process.argv[3] ?? 10);
const RUNTIMES = { berth: 'io.containerd.berth.v1', runc: 'io.containerd.runc.v2' };

for (const native of ['libs/monitor/native', 'services/shim/native'])
  execFileSync('make', ['-s', '-C', join(root, native)]);
execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), join(root, 'services/shim')]);
const archive = smallImageArchive();

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-shim-'));
const namespace = `bench-${process.pid}`;
const { address, config } = writeContainerdConfig(dir);
const bin = join(dir, 'bin');
mkdirSync(bin);
// containerd runs the native front; it hands the group server and rare paths to Node.
symlinkSync(
  join(root, 'services/shim/native/build/containerd-shim-berth-v1'),
  join(bin, 'containerd-shim-berth-v1'),
);
const containerd = spawn('containerd', ['--config', config], {
  stdio: 'ignore',
  env: {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    BERTH_SHIM_STATE: join(dir, 'shim-state'),
  },
});

try {
  await waitFor(() => existsSync(address));
  const image = ctr(['images', 'import', archive]).stdout.match(/unpacking (\S+)/)?.[1];
  if (!image) throw new Error('image import failed');

  const latency = { berth: [], runc: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, runtime] of Object.entries(RUNTIMES)) {
      const started = performance.now();
      const result = ctr(['run', '--runtime', runtime, '--rm', image, `lat-${name}-${i}`, 'true']);
      if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
      latency[name].push(performance.now() - started);
    }
  }

  const startMs = timeStart(runs * 3);

  const pss = {};
  for (const [name, runtime] of Object.entries(RUNTIMES)) {
    const ids = Array.from({ length: containers }, (_, i) => `mem-${name}-${i}`);
    for (const id of ids) {
      const result = ctr(['run', '-d', '--runtime', runtime, image, id, 'sleep', '600']);
      if (result.status !== 0) throw new Error(`${name} ${id}: ${result.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage settle
    const pids = name === 'berth' ? berthProcesses() : runcShims();
    const each = pids.map(pssKiB);
    pss[name] = {
      kib: each.reduce((sum, kib) => sum + kib, 0),
      processes: pids.length,
      largest: Math.max(...each),
    };
    for (const id of ids) ctr(['task', 'kill', '-s', 'SIGKILL', id]);
    for (const id of ids) {
      await waitFor(
        () =>
          ctr(['task', 'rm', id]).status === 0 || !ctr(['task', 'ls', '-q']).stdout.includes(id),
      );
      ctr(['containers', 'rm', id]);
    }
  }

  const berthMs = median(latency.berth);
  const runcMs = median(latency.runc);
  console.log(`ctr run --rm ${image} true, median of ${runs}:`);
  console.log(
    `  berth ${berthMs.toFixed(0)} ms   runc-v2 ${runcMs.toFixed(0)} ms   berth/runc ${(berthMs / runcMs).toFixed(2)}`,
  );
  console.log(`shim start (group server running), median of ${runs * 3}:`);
  console.log(`  start ${startMs.start.toFixed(1)} ms   bare node ${startMs.node.toFixed(1)} ms`);
  console.log(`PSS per running container, ${containers} containers:`);
  for (const [name, { kib, processes, largest }] of Object.entries(pss)) {
    console.log(
      `  ${name.padEnd(5)} ${(kib / containers / 1024).toFixed(2)} MiB  (${processes} processes, ${(kib / 1024).toFixed(1)} MiB total, the largest ${(largest / 1024).toFixed(1)} MiB)`,
    );
  }
  console.log(`  berth/runc ${(pss.berth.kib / pss.runc.kib).toFixed(2)}`);
} finally {
  for (const pid of [...berthProcesses(), ...runcShims()]) kill(pid);
  containerd.kill('SIGTERM');
  await new Promise((r) => containerd.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  rmSync(join('/run/containerd/runc', namespace), { recursive: true, force: true });
  // runc leaves containerd's /<namespace> parent cgroups behind.
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const cgroup = join('/sys/fs/cgroup', hierarchy, namespace);
    if (existsSync(cgroup)) rmdirSync(cgroup);
  }
}

function ctr(args) {
  return spawnSync('ctr', ['-a', address, '-n', namespace, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function timeStart(times) {
  const bundle = join(dir, 'start-bench');
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'config.json'), '{}');
  const shim = join(bin, 'containerd-shim-berth-v1');
  const args = ['-namespace', namespace, '-address', address, '-id', 'start-bench', 'start'];
  // Node's start-up baseline without NODE_EXTRA_CA_CERTS, as the Node entry's shebang runs it.
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const timed = (command, argv) => {
    const samples = [];
    for (let i = 0; i < times; i++) {
      const started = performance.now();
      const result = spawnSync(command, argv, { cwd: bundle, env });
      if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  return { start: timed(shim, args), node: timed(process.execPath, ['-e', '0']) };
}

/** The pids whose command line matches, read from /proc. */
function processes(match) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')))
        pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function berthProcesses() {
  return processes(
    (argv) =>
      (argv.includes(address) && argv.includes('serve')) ||
      (argv[0]?.endsWith('berth-monitor') && argv.some((arg) => arg.startsWith(dir))),
  );
}

function runcShims() {
  return processes(
    (argv) => argv[0]?.endsWith('containerd-shim-runc-v2') && argv.includes(address),
  );
}

function pssKiB(pid) {
  try {
    return Number(
      readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m)?.[1] ?? 0,
    );
  } catch {
    return 0;
  }
}

function kill(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

async function waitFor(check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
