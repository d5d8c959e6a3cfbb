#!/usr/bin/env node
// Benchmarks berth-registry against upstream distribution (Debian's docker-registry) in one
// run on loopback: skopeo push/pull of a 256 MiB single-layer image and of a 100-small-layer
// image, and a raw monolithic blob upload. Prints both figures and berth/upstream ratios.
//
//   node tools/bench/registry.mjs [--runs 3] [--out tools/bench/results/registry.json]
//
// Needs skopeo, docker-registry, and a built berth-registry (node scripts/bundle.mjs services/registry).
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const exec = promisify(execFile);
const MiB = 1024 * 1024;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: { out: { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);
const HOSTS = { upstream: '127.0.0.1:5901', berth: '127.0.0.1:5902' };

const sha256 = (buf) => `sha256:${createHash('sha256').update(buf).digest('hex')}`;

/** A docker v2s2 image in skopeo's dir: layout; gzip (level 0) layers are copied as they are. */
async function writeDirImage(dir, layerContents) {
  await mkdir(dir, { recursive: true });
  const layers = [];
  for (const content of layerContents) {
    const blob = gzipSync(content, { level: 0 });
    const digest = sha256(blob);
    await writeFile(join(dir, digest.slice(7)), blob);
    layers.push({ digest, size: blob.length, diffId: sha256(content) });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      config: {},
    }),
  );
  await writeFile(join(dir, sha256(config).slice(7)), config);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: sha256(config),
      size: config.length,
    },
    layers: layers.map((l) => ({
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest: l.digest,
      size: l.size,
    })),
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'version'), 'Directory Transport Version: 1.1\n');
  return layers.reduce((n, l) => n + l.size, 0);
}

/** Fresh random images for one run, so no registry or skopeo cache can skip an upload. */
async function makeImages(dir) {
  const big = join(dir, 'big');
  const many = join(dir, 'many');
  const manyLayers = Array.from({ length: 100 }, (_, i) => randomBytes(2048 + i));
  return {
    big: { dir: big, bytes: await writeDirImage(big, [randomBytes(256 * MiB)]) },
    many: { dir: many, layers: 100, bytes: await writeDirImage(many, manyLayers) },
  };
}

function startProcess(cmd, args, logFile) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks = [];
  child.stderr.on('data', (c) => chunks.push(c));
  child.on('exit', () => void writeFile(logFile, Buffer.concat(chunks)).catch(() => undefined));
  return child;
}

async function waitReady(host) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://${host}/v2/`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${host} did not come up`);
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(method, url, data = Buffer.alloc(0)) {
  return new Promise((resolvePromise, reject) => {
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length };
    const req = request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The blob push flow skopeo uses (HEAD, POST, PATCH, PUT), without skopeo's own overhead. */
async function pushSmallBlob(host, repo, data) {
  const digest = sha256(data);
  await send('HEAD', `http://${host}/v2/${repo}/blobs/${digest}`);
  const start = await send('POST', `http://${host}/v2/${repo}/blobs/uploads/`);
  const patch = await send('PATCH', new URL(start.headers.location, `http://${host}`), data);
  const location = new URL(patch.headers.location, `http://${host}`);
  location.searchParams.set('digest', digest);
  const done = await send('PUT', location);
  if (done.statusCode !== 201) throw new Error(`small blob: ${done.statusCode}`);
}

/** Pushes `blobs` with six clients in parallel, as skopeo does. */
async function pushSmallBlobs(host, repo, blobs) {
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) await pushSmallBlob(host, repo, blobs[next++]);
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/**
 * Raw monolithic upload: POST to open a session, then one PUT ?digest= carrying the whole
 * blob (upstream 2.8 has no single-POST upload). The client streams from memory and knows the
 * digest beforehand (as skopeo and docker do), so only the registry's work is timed.
 */
async function monolithicUpload(host, repo, data, digest) {
  const start = await send('POST', `http://${host}/v2/${repo}/blobs/uploads/`);
  const location = new URL(start.headers.location, `http://${host}`);
  location.searchParams.set('digest', digest);
  const done = await send('PUT', location, data);
  if (done.statusCode !== 201) throw new Error(`upload: ${done.statusCode}`);
}

const skopeo = (...args) => exec('skopeo', args, { maxBuffer: 16 * MiB });

/** One run against one registry, every figure from content it has never seen. */
async function measureOnce(host, images, work, run) {
  const big = `docker://${host}/bench/big${run}:v1`;
  const many = `docker://${host}/bench/many${run}:v1`;
  const out = join(work, 'pulled');
  const r = {};
  let t = await timed(() =>
    skopeo('copy', '--dest-tls-verify=false', `dir:${images.big.dir}`, big),
  );
  r['skopeo push 256 MiB layer (MiB/s)'] = images.big.bytes / MiB / t;
  t = await timed(() => skopeo('copy', '--src-tls-verify=false', big, `dir:${out}`));
  r['skopeo pull 256 MiB layer (MiB/s)'] = images.big.bytes / MiB / t;
  await rm(out, { recursive: true, force: true });
  t = await timed(() => skopeo('copy', '--dest-tls-verify=false', `dir:${images.many.dir}`, many));
  r['skopeo push 100 small layers (layers/s)'] = images.many.layers / t;
  t = await timed(() => skopeo('copy', '--src-tls-verify=false', many, `dir:${out}`));
  r['skopeo pull 100 small layers (layers/s)'] = images.many.layers / t;
  await rm(out, { recursive: true, force: true });
  const data = randomBytes(256 * MiB);
  const digest = sha256(data);
  t = await timed(() => monolithicUpload(host, `bench/raw${run}`, data, digest));
  r['monolithic upload (MiB/s)'] = data.length / MiB / t;
  const small = Array.from({ length: 100 }, () => randomBytes(2048));
  t = await timed(() => pushSmallBlobs(host, `bench/small${run}`, small));
  r['raw push 100 small blobs, 6 parallel (blobs/s)'] = small.length / t;
  return r;
}

/** Best figure of each metric over the runs (the machine is shared; the best is the capability). */
function bestOf(samples) {
  return Object.fromEntries(
    Object.keys(samples[0]).map((k) => [k, Math.max(...samples.map((s) => s[k]))]),
  );
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'berth-bench-registry-'));
  const children = [];
  try {
    const upstreamConfig = join(work, 'upstream.yml');
    await writeFile(
      upstreamConfig,
      [
        'version: 0.1',
        'log: { level: error }',
        'storage:',
        `  filesystem: { rootdirectory: ${join(work, 'upstream-root')} }`,
        '  delete: { enabled: true }',
        `http: { addr: ${HOSTS.upstream} }`,
        '',
      ].join('\n'),
    );
    const berthBin = join(repoRoot, 'services/registry/dist/berth-registry.mjs');
    const berthArgs = ['--root', join(work, 'berth-root'), '--addr', HOSTS.berth];
    children.push(startProcess('docker-registry', ['serve', upstreamConfig], join(work, 'up.log')));
    children.push(
      startProcess(process.execPath, [berthBin, ...berthArgs], join(work, 'berth.log')),
    );
    await Promise.all(Object.values(HOSTS).map(waitReady));

    const samples = { upstream: [], berth: [] };
    for (let i = 0; i < runs; i++) {
      // Interleaved, so that both registries see the same background load.
      for (const name of ['upstream', 'berth']) {
        const dir = join(work, `images-${name}-${i}`);
        samples[name].push(await measureOnce(HOSTS[name], await makeImages(dir), work, i));
        await rm(dir, { recursive: true, force: true });
      }
    }
    const upstream = bestOf(samples.upstream);
    const berth = bestOf(samples.berth);
    const rows = Object.keys(berth).map((metric) => ({
      metric,
      upstream: Number(upstream[metric].toFixed(1)),
      berth: Number(berth[metric].toFixed(1)),
      ratio: Number((berth[metric] / upstream[metric]).toFixed(2)),
    }));
    console.table(rows);
    if (values.out) {
      await mkdir(dirname(values.out), { recursive: true });
      const record = { date: new Date().toISOString(), runs, loadavg: loadavg(), rows };
      await writeFile(values.out, `${JSON.stringify(record, null, 2)}\n`);
    }
  } finally {
    await Promise.all(
      children.map((c) =>
        c.exitCode === null ? new Promise((r) => c.once('exit', r).kill('SIGTERM')) : null,
      ),
    );
    await rm(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

await main();
