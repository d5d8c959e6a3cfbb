import { ensureTestImages } from '@berth/test-images';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctr, pushImage, startDockerRegistry, tempDir } from './helpers';

const BIN = resolve(import.meta.dirname, '../src/bin/berth-containerd.ts');

/** The daemon as its own process, so that it can be killed with SIGKILL mid-pull. */
async function spawnDaemon(dir: string): Promise<{ child: ChildProcess; address: string }> {
  const address = join(dir, 'state', 'containerd.sock');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      BIN,
      '--root',
      join(dir, 'root'),
      '--state',
      join(dir, 'state'),
      '--address',
      address,
      '--log-level',
      'error',
    ],
    { stdio: 'ignore', cwd: import.meta.dirname },
  );
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`daemon exited ${child.exitCode}`);
    if (
      await ctr(address, 'version').then(
        () => true,
        () => false,
      )
    )
      return { child, address };
    if (i > 150) throw new Error('daemon did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** Every blob on disk must hash to its own name: no partial or wrong blob is ever visible. */
async function verifyBlobs(root: string): Promise<number> {
  const base = join(root, 'io.containerd.content.v1.content', 'blobs', 'sha256');
  const names = await readdir(base).catch(() => [] as string[]);
  for (const hex of names) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(join(base, hex))) hash.update(chunk as Buffer);
    expect(hash.digest('hex'), `blob ${hex}`).toBe(hex);
  }
  return names.length;
}

describe('kill -9 during a pull', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let registry: Awaited<ReturnType<typeof startDockerRegistry>>;
  let daemon: { child: ChildProcess; address: string } | undefined;
  let ref: string;

  beforeAll(async () => {
    const images = await ensureTestImages(['many']);
    dir = await tempDir('crash');
    registry = await startDockerRegistry(join(dir.path, 'registry'));
    ref = `${registry.host}/many:latest`;
    await pushImage(images.many!.ociLayout, images.many!.tag, ref);
  }, 120_000);

  afterAll(async () => {
    if (daemon) await kill9(daemon.child);
    await registry?.stop();
    await dir?.remove();
  });

  it('leaves no corrupt content or metadata, and the next pull completes', async () => {
    const state = join(dir.path, 'daemon');
    for (const delayMs of [150, 400, 800, 1300, 2000]) {
      daemon = await spawnDaemon(state);
      const puller = spawn(
        'ctr',
        ['--address', daemon.address, 'images', 'pull', '--plain-http', ref],
        { stdio: 'ignore' },
      );
      await new Promise((r) => setTimeout(r, delayMs));
      await kill9(daemon.child);
      // ctr may keep redialing a vanished socket; it is the client, not what is tested.
      const stopped =
        puller.exitCode === null && puller.signalCode === null
          ? new Promise((r) => puller.once('exit', r))
          : null;
      const grace = setTimeout(() => puller.kill('SIGKILL'), 3000);
      await stopped;
      clearTimeout(grace);
      await verifyBlobs(join(state, 'root'));
    }
    daemon = await spawnDaemon(state);
    await ctr(daemon.address, 'images', 'pull', '--plain-http', ref);
    const check = await ctr(daemon.address, 'images', 'check');
    expect(check).toMatch(/complete \(\d+\/\d+\)/);
    expect(await verifyBlobs(join(state, 'root'))).toBeGreaterThan(100);
    const snapshots = (await ctr(daemon.address, 'snapshots', 'ls')).trim().split('\n').slice(1);
    expect(snapshots.filter((l) => l.trim().endsWith('Committed')).length).toBeGreaterThanOrEqual(
      101,
    );
  }, 180_000);
});
