import { ESCAPE_VICTIM, escapingLayers, type EscapingLayer } from '@berth/test-images';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayerApplier } from '../src/core/diff/apply';
import { lgetxattr } from '../src/core/sys/syscalls';
import { tempDir } from './helpers';

const ORIGINAL = 'original victim content\n';
const ATTACKS = await escapingLayers();

/**
 * Puts the victim in the state that makes its violation observable. Only victims below
 * /tmp are ever created or removed; a 'linked' victim (a host file such as /etc/passwd)
 * is only looked at.
 */
async function arm(layer: EscapingLayer, victim: string): Promise<number | undefined> {
  if (layer.violation === 'linked') return (await lstat(victim)).ino;
  if (!victim.startsWith('/tmp/'))
    throw new Error(`refusing to touch victim ${victim} outside /tmp`);
  await rm(victim, { recursive: true, force: true });
  if (layer.violation === 'created') return undefined;
  await mkdir(dirname(victim), { recursive: true });
  await writeFile(victim, ORIGINAL);
  return undefined;
}

async function inodesUnder(dir: string, out = new Set<number>()): Promise<Set<number>> {
  const { readdir } = await import('node:fs/promises');
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.add((await lstat(p)).ino);
    if (e.isDirectory()) await inodesUnder(p, out);
  }
  return out;
}

describe('layer unpacking', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('unpack');
  });
  afterAll(async () => {
    await rm(ESCAPE_VICTIM, { recursive: true, force: true });
    await rm(`${ESCAPE_VICTIM}.d`, { recursive: true, force: true });
    await dir.remove();
  });

  describe.each(ATTACKS.map((l) => [l.name, l] as const))('escaping entry %s', (_name, layer) => {
    it('writes nothing outside the snapshot', async () => {
      const upper = join(dir.path, layer.name, 'fs');
      await mkdir(upper, { recursive: true });
      const victim = isAbsolute(layer.victim) ? layer.victim : resolve(upper, layer.victim);
      const inode = await arm(layer, victim);
      // Refusing an entry is allowed; touching the victim is not.
      await new LayerApplier({ upper, lowers: [] })
        .apply(Readable.from(layer.tar))
        .catch(() => undefined);
      switch (layer.violation) {
        case 'created':
          await expect(lstat(victim)).rejects.toThrow(/ENOENT/);
          break;
        case 'modified':
        case 'removed':
          expect(await readFile(victim, 'utf8')).toBe(ORIGINAL);
          break;
        case 'linked':
          expect((await inodesUnder(upper)).has(inode as number)).toBe(false);
          break;
      }
      if (layer.violation !== 'linked') await rm(victim, { recursive: true, force: true });
    });
  });

  it('writes whiteouts and opaque directories in overlayfs form', async () => {
    const { pack } = await import('tar-stream');
    const lower = join(dir.path, 'ovl', 'lower');
    const upper = join(dir.path, 'ovl', 'upper');
    await mkdir(join(lower, 'd'), { recursive: true });
    await writeFile(join(lower, 'gone'), 'x');
    await mkdir(upper, { recursive: true });
    const p = pack();
    p.entry({ name: '.wh.gone' }, '');
    p.entry({ name: 'd/', type: 'directory', mode: 0o750, uid: 7, gid: 8 });
    p.entry({ name: 'd/.wh..wh..opq' }, '');
    p.entry(
      { name: 'd/new', mode: 0o4755, uid: 1234, gid: 5678, mtime: new Date(1_000_000_000) },
      'hi',
    );
    p.entry({ name: 'd/link', type: 'link', linkname: 'd/new' });
    p.finalize();
    await new LayerApplier({ upper, lowers: [lower] }).apply(p as unknown as Readable);
    const wh = await lstat(join(upper, 'gone'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    expect(lgetxattr(join(upper, 'd'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    const st = await lstat(join(upper, 'd', 'new'));
    expect({
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtime: st.mtimeMs,
      nlink: st.nlink,
    }).toEqual({
      mode: 0o4755,
      uid: 1234,
      gid: 5678,
      mtime: 1_000_000_000,
      nlink: 2,
    });
    const d = await lstat(join(upper, 'd'));
    expect({ mode: d.mode & 0o7777, uid: d.uid, gid: d.gid }).toEqual({
      mode: 0o750,
      uid: 7,
      gid: 8,
    });
  });
});
