import { describe, expect, it } from 'vitest';
import { device, dir, file, hardlink, symlink, whiteout, opaque } from '../src/layer/entries';
import { packEntries } from '../src/layer/tar-writer';
import { FIXED_MTIME } from '../src/reproducible';
import { readTar, run, scratchDir } from './helpers';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerEntry } from '../src/layer/entries';

async function tarOf(entries: LayerEntry[] | AsyncIterable<LayerEntry>): Promise<Buffer> {
  const { tar, written } = packEntries(entries);
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  await written;
  return Buffer.concat(chunks);
}

describe('tar writer', () => {
  it('writes each entry type with fixed mtime, owner and mode', async () => {
    const members = await readTar(
      await tarOf([
        dir('d', 0o2775, { uid: 7, gid: 8 }),
        file('d/f', 'body', 0o4755),
        symlink('d/s', '../x'),
        hardlink('d/h', 'd/f'),
        device('d/c', 'character-device', 1, 3),
        device('d/b', 'block-device', 7, 0),
        { type: 'fifo', path: 'd/p', mode: 0o600 },
      ]),
    );
    expect(members.map((m) => [m.header.name, m.header.type])).toEqual([
      ['d/', 'directory'],
      ['d/f', 'file'],
      ['d/s', 'symlink'],
      ['d/h', 'link'],
      ['d/c', 'character-device'],
      ['d/b', 'block-device'],
      ['d/p', 'fifo'],
    ]);
    const [d, f, s, h, c, b] = members.map((m) => m.header);
    expect([d?.mode, d?.uid, d?.gid]).toEqual([0o2775, 7, 8]);
    expect([f?.mode, f?.size]).toEqual([0o4755, 4]);
    expect(s?.linkname).toBe('../x');
    expect(h?.linkname).toBe('d/f');
    expect([c?.devmajor, c?.devminor, b?.devmajor, b?.devminor]).toEqual([1, 3, 7, 0]);
    for (const m of members) expect(m.header.mtime.getTime()).toBe(FIXED_MTIME.getTime());
  });

  it('carries xattrs, binary ones included, as PAX SCHILY.xattr records', async () => {
    const capability = Buffer.from([1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0]);
    const tar = await tarOf([
      file('f', 'x', 0o644, {
        xattrs: { 'user.a': Buffer.from('b=c'), 'security.capability': capability },
      }),
    ]);
    // Python's tarfile is an independent PAX reader.
    const { dir: scratch, cleanup } = await scratchDir('pax');
    try {
      await writeFile(join(scratch, 'x.tar'), tar);
      const { stdout } = await run('python3', [
        '-c',
        'import sys,tarfile;m=tarfile.open(sys.argv[1]).next();' +
          "print({k:v.encode('utf-8','surrogateescape').hex() for k,v in m.pax_headers.items()})",
        join(scratch, 'x.tar'),
      ]);
      expect(stdout).toContain(`'SCHILY.xattr.user.a': '${Buffer.from('b=c').toString('hex')}'`);
      expect(stdout).toContain(
        `'SCHILY.xattr.security.capability': '${capability.toString('hex')}'`,
      );
    } finally {
      await cleanup();
    }
  });

  it('refuses xattr values tar-stream would re-encode', async () => {
    await expect(
      tarOf([file('f', 'x', 0o644, { xattrs: { 'user.a': Buffer.from([0xff]) } })]),
    ).rejects.toThrow(/7-bit/);
  });

  it('puts names and link targets too long for ustar into PAX records', async () => {
    const long = `${'a'.repeat(120)}/${'b'.repeat(120)}`;
    const target = `/${'t/'.repeat(60)}end`;
    const members = await readTar(await tarOf([file(long, 'x'), symlink('l', target)]));
    expect(members[0]?.header.name).toBe(long);
    expect(members[1]?.header.linkname).toBe(target);
  });

  it('streams large bodies and fails when a stream yields the wrong size', async () => {
    async function* twice(chunk: Buffer) {
      yield chunk;
      yield chunk;
    }
    const chunk = Buffer.alloc(100_000, 7);
    const members = await readTar(
      await tarOf([file('ok', { size: 200_000, open: () => twice(chunk) })]),
    );
    expect(members[0]?.body.equals(Buffer.concat([chunk, chunk]))).toBe(true);
    await expect(
      tarOf([file('short', { size: 300_000, open: () => twice(chunk) })]),
    ).rejects.toThrow();
  });

  it('names whiteouts and opaque markers the OCI way', () => {
    expect(whiteout('a/b/c').path).toBe('a/b/.wh.c');
    expect(whiteout('top').path).toBe('.wh.top');
    expect(opaque('a/b').path).toBe('a/b/.wh..wh..opq');
  });
});
