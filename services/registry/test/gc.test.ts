import { lutimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/gc/collector';
import { parseDigest } from '../src/reference';
import { makeImage, pushBlob, putManifest, startRegistry, type TestRegistry } from './helpers';

let reg: TestRegistry;
beforeEach(async () => {
  reg = await startRegistry();
});
afterEach(async () => {
  await reg.close();
});

async function blobStatus(repo: string, digest: string): Promise<number> {
  return (await fetch(`${reg.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' })).status;
}

describe('garbage collection', () => {
  it('removes untagged manifests and unreferenced blobs, keeps tagged images', async () => {
    const kept = await makeImage(reg.url, 'gc/app', 'kept');
    await putManifest(reg.url, 'gc/app', 'v1', kept.manifest);
    const dropped = await makeImage(reg.url, 'gc/app', 'dropped');
    await putManifest(reg.url, 'gc/app', dropped.digest, dropped.manifest);
    const stray = await pushBlob(reg.url, 'gc/app', 'stray upload');
    await sleep(20);

    const report = await collectGarbage(reg.storage, 0);

    expect(report.manifests).toBe(1);
    expect(report.blobs).toBeGreaterThanOrEqual(4); // dropped manifest, config, layer; stray
    expect((await fetch(`${reg.url}/v2/gc/app/manifests/v1`)).status).toBe(200);
    for (const d of [kept.config, ...kept.layers]) expect(await blobStatus('gc/app', d)).toBe(200);
    expect((await fetch(`${reg.url}/v2/gc/app/manifests/${dropped.digest}`)).status).toBe(404);
    for (const d of [dropped.config, ...dropped.layers, stray]) {
      expect(await blobStatus('gc/app', d)).toBe(404);
      expect(await reg.storage.blobs.exists(parseDigest(d))).toBe(false);
    }
  });

  it('keeps what is younger than the grace period', async () => {
    const img = await makeImage(reg.url, 'gc/young', 'young');
    await putManifest(reg.url, 'gc/young', img.digest, img.manifest);
    const report = await collectGarbage(reg.storage, 60_000);
    expect(report).toEqual({ manifests: 0, links: 0, blobs: 0, uploads: 0 });
  });

  it('purges upload sessions abandoned for a day', async () => {
    const fresh = await reg.storage.uploads.create('gc/uploads');
    const stale = await reg.storage.uploads.create('gc/uploads');
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await lutimes(join(reg.root, 'uploads', stale.id), dayAgo, dayAgo);
    const report = await collectGarbage(reg.storage, 0);
    expect(report.uploads).toBe(1);
    await expect(reg.storage.uploads.get('gc/uploads', stale.id)).rejects.toThrow(/unknown/);
    expect((await reg.storage.uploads.get('gc/uploads', fresh.id)).id).toBe(fresh.id);
  });

  it('never deletes a blob that an in-flight push has pinned', async () => {
    const digest = await pushBlob(reg.url, 'gc/pinned', 'about to be referenced');
    await sleep(20);
    const release = await reg.storage.liveness.pin([digest]);
    await collectGarbage(reg.storage, 0);
    release();
    expect(await blobStatus('gc/pinned', digest)).toBe(200);
  });

  it('stays consistent while pushes run during collections', async () => {
    const pushes = Array.from({ length: 20 }, async (_, i) => {
      const img = await makeImage(reg.url, 'gc/busy', `busy-${i}`);
      const res = await putManifest(reg.url, 'gc/busy', `t${i}`, img.manifest);
      return { img, status: res.status };
    });
    const collections = (async () => {
      for (let i = 0; i < 10; i++) {
        await collectGarbage(reg.storage, 0);
        await sleep(1);
      }
    })();
    const results = await Promise.all(pushes);
    await collections;
    await collectGarbage(reg.storage, 0);
    // A push either was refused (and can retry) or left a complete, pullable image.
    for (const { img, status } of results) {
      expect([201, 404]).toContain(status);
      if (status !== 201) continue;
      expect((await fetch(`${reg.url}/v2/gc/busy/manifests/${img.digest}`)).status).toBe(200);
      for (const d of [img.config, ...img.layers]) expect(await blobStatus('gc/busy', d)).toBe(200);
    }
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThan(0);
  });
});
