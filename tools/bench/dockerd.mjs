// berth-dockerd against Debian's dockerd (docker.io 20.10), each on its own upstream
// containerd 1.6 with the runc shim:   node tools/bench/dockerd.mjs [runs=15]
// Measures `docker run --rm --network none IMG true` with the same docker CLI, the two
// daemons interleaved, after two warm-up runs each; prints medians and berth/docker.
// Needs root, Debian's dockerd/containerd/runc, and the test image cache.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[2] ?? 15);
const IMAGE = 'berth.test/small:latest';
const dir = mkdtempSync(join(tmpdir(), 'berth-bench-dockerd-'));
const ownCgroup =
  readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1] === 'memory')
    ?.split(':')[2] ?? '/';
const cgroupParent = (name) => join(ownCgroup, `berth-bench-${process.pid}-${name}`);
const started = [];

function findTestImage() {
  const cache = process.env.BERTH_TEST_IMAGES ?? '/var/lib/berth-test-images';
  for (const key of existsSync(cache) ? readdirSync(cache) : []) {
    const archive = join(cache, key, 'small', 'docker-archive.tar');
    if (existsSync(archive)) return archive;
  }
  throw new Error(`no small test image under ${cache}: run the dockerd tests once`);
}

function start(name, command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (c) => (output += c));
  started.push({ name, child, log: () => output });
  return child;
}

async function waitForSocket(path, name) {
  for (let i = 0; i < 400; i++) {
    if (spawnSync('docker', ['-H', `unix://${path}`, 'version'], { stdio: 'ignore' }).status === 0)
      return;
    if (path.endsWith('containerd.sock') && existsSync(path)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not come up:\n${started.find((s) => s.name === name)?.log()}`);
}

async function startContainerd(name) {
  const base = join(dir, name);
  mkdirSync(base, { recursive: true });
  const address = join(base, 'containerd.sock');
  const config = join(base, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = ${JSON.stringify(join(base, 'root'))}`,
      `state = ${JSON.stringify(join(base, 'state'))}`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = ${JSON.stringify(address)}`,
      '[ttrpc]',
      `  address = ${JSON.stringify(`${address}.ttrpc`)}`,
      '',
    ].join('\n'),
  );
  start(`${name}-containerd`, 'containerd', ['--config', config]);
  await waitForSocket(address, `${name}-containerd`);
  return address;
}

function timeRun(host) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('docker', ['-H', host, 'run', '--rm', '--network', 'none', IMAGE, 'true']);
  if (res.status !== 0) throw new Error(`docker -H ${host} run failed: ${res.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const archive = findTestImage();
  const berthHost = `unix://${join(dir, 'berth.sock')}`;
  const dockerHost = `unix://${join(dir, 'docker.sock')}`;
  const berthContainerd = await startContainerd('berth');
  start('berth-dockerd', process.execPath, [
    '--import',
    'tsx',
    join(root, 'services/dockerd/src/bin/berth-dockerd.ts'),
    '-H',
    berthHost,
    '--containerd',
    berthContainerd,
    '--data-root',
    join(dir, 'berth-data'),
    '--exec-root',
    join(dir, 'berth-exec'),
    '--cgroup-parent',
    cgroupParent('berth'),
  ]);
  await waitForSocket(join(dir, 'berth.sock'), 'berth-dockerd');
  const dockerContainerd = await startContainerd('docker');
  start('dockerd', 'dockerd', [
    '-H',
    dockerHost,
    '--containerd',
    dockerContainerd,
    '--data-root',
    join(dir, 'docker-data'),
    '--exec-root',
    join(dir, 'docker-exec'),
    '--pidfile',
    join(dir, 'docker.pid'),
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--cgroup-parent',
    cgroupParent('docker'),
  ]);
  await waitForSocket(join(dir, 'docker.sock'), 'dockerd');
  for (const host of [berthHost, dockerHost]) {
    execFileSync('docker', ['-H', host, 'load', '-q', '-i', archive], { stdio: 'ignore' });
    timeRun(host);
    timeRun(host);
  }
  const times = { berth: [], docker: [] };
  for (let i = 0; i < runs; i++) {
    times.berth.push(timeRun(berthHost));
    times.docker.push(timeRun(dockerHost));
  }
  const berth = median(times.berth);
  const docker = median(times.docker);
  console.log(`docker run --rm --network none ${IMAGE} true, median of ${runs}:`);
  console.log(`  berth-dockerd + containerd 1.6: ${berth.toFixed(1)} ms`);
  console.log(`  Debian dockerd + containerd 1.6: ${docker.toFixed(1)} ms`);
  console.log(`  ratio berth/docker: ${(berth / docker).toFixed(3)}`);
} finally {
  for (const { child } of started.reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => r(clearTimeout(timer)));
    });
  }
  for (const name of ['berth', 'docker']) {
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroupParent(name)));
      } catch {
        // no directory for this parent in that hierarchy
      }
    }
  }
  spawnSync('umount', ['-R', join(dir, 'docker-data')], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
