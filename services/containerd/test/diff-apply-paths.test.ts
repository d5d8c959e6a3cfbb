import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../src/core/containerd';
import { targetOf } from '../src/core/diff/service';
import { tempDir } from './helpers';

const ctx = { namespace: 'default' };
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A tar holding one file, with trailing padding past the end-of-archive blocks. */
async function tarOf(name: string, body: Buffer): Promise<Buffer> {
  const p = pack();
  p.entry({ name, size: body.length, mode: 0o644, mtime: new Date(1_600_000_000_000) }, body);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat([...chunks, Buffer.alloc(4096)]);
}

// Diff.Apply buffers small gzip and plain layers and streams the rest; every path must
// unpack the same tree and report the digest of the whole uncompressed tar.
describe('Diff.Apply small and streamed layers', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: Core;
  beforeAll(async () => {
    dir = await tempDir('diff-paths');
    core = new Core({ root: dir.path });
  });
  afterAll(async () => {
    core.close();
    await dir.remove();
  });

  const store = async (blob: Buffer) => {
    const w = await core.content.writer(ctx, `blob-${sha256(blob)}`, blob.length, '');
    await w.write(blob);
    const digest = await w.commit(blob.length, sha256(blob), {});
    await w.close();
    return {
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest,
      size: blob.length,
      annotations: {},
    };
  };

  const cases: [string, Buffer, (tar: Buffer) => Buffer][] = [
    ['small gzip', randomBytes(3000), (t) => gzipSync(t)],
    ['small uncompressed', randomBytes(3000), (t) => t],
    // Compresses to a few KiB but inflates past what is buffered: streamed.
    ['gzip bomb-like', Buffer.alloc(20 << 20), (t) => gzipSync(t)],
    ['large gzip', randomBytes(3 << 20), (t) => gzipSync(t, { level: 1 })],
    ['small zstd', randomBytes(3000), (t) => execFileSync('zstd', ['-q', '-c'], { input: t })],
  ];

  it.each(cases)('%s', async (name, body, compress) => {
    const tar = await tarOf('dir/file', body);
    const desc = await store(compress(tar));
    const mounts = core.snapshots.prepare(ctx, `apply-${name}`, '', {});
    const applied = await core.diff.apply(ctx, desc, mounts);
    expect(applied).toMatchObject({ digest: sha256(tar), size: tar.length });
    expect(readFileSync(join(targetOf(mounts).upper, 'dir/file')).equals(body)).toBe(true);
  });

  it('rejects a corrupt small gzip layer', async () => {
    const blob = gzipSync(await tarOf('f', randomBytes(100)));
    blob.writeUInt8(blob.readUInt8(blob.length - 5) ^ 0xff, blob.length - 5); // the CRC32 trailer
    const desc = await store(blob);
    const mounts = core.snapshots.prepare(ctx, 'corrupt', '', {});
    await expect(core.diff.apply(ctx, desc, mounts)).rejects.toThrow();
  });
});
