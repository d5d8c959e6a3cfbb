import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapingLayers } from '../src/index';
import { readTar, run, scratchDir } from './helpers';

const climbsOut = (path: string) => path.startsWith('/') || path.split('/').includes('..');

describe('escapingLayers', () => {
  it('names each attack once, with a description, a victim and a violation', async () => {
    const layers = await escapingLayers();
    expect(layers.length).toBeGreaterThanOrEqual(12);
    expect(new Set(layers.map((l) => l.name)).size).toBe(layers.length);
    for (const layer of layers) {
      expect(layer.name).toMatch(/^[a-z0-9-]+$/);
      expect(layer.description.length).toBeGreaterThan(20);
      expect(['created', 'modified', 'removed', 'linked']).toContain(layer.violation);
    }
  });

  it('every tar is well formed for GNU tar and really carries its attack', async () => {
    const { dir, cleanup } = await scratchDir('escaping');
    try {
      for (const layer of await escapingLayers()) {
        const members = await readTar(layer.tar);
        // Some member must point outside the root by name, by link target, or be a link
        // that a later member is written through.
        const hostile = members.some(
          ({ header }) =>
            climbsOut(header.name) ||
            climbsOut(header.linkname ?? '') ||
            header.name.endsWith('.wh...') ||
            (header.type === 'symlink' &&
              members.some((m) => m.header.name.startsWith(`${header.name}/`))),
        );
        expect(hostile, layer.name).toBe(true);
        const file = join(dir, `${layer.name}.tar`);
        await writeFile(file, layer.tar);
        const { stdout } = await run('tar', ['-tf', file]);
        expect(stdout.trim().split('\n').length, layer.name).toBe(members.length);
      }
    } finally {
      await cleanup();
    }
  });

  it('hides the PAX attack from anything that reads only the ustar name field', async () => {
    const layer = (await escapingLayers()).find((l) => l.name === 'pax-dotdot-path')!;
    const ustarNames = [];
    for (let offset = 0; offset + 512 <= layer.tar.length; offset += 512) {
      const block = layer.tar.subarray(offset, offset + 512);
      if (block.subarray(257, 262).toString() === 'ustar')
        ustarNames.push(block.subarray(0, 100).toString().replace(/\0+$/, ''));
    }
    expect(ustarNames.length).toBeGreaterThan(0);
    expect(ustarNames.some((n) => n.includes('..'))).toBe(false);
    expect((await readTar(layer.tar))[0]?.header.name).toMatch(/^(\.\.\/)+tmp\/berth-escape$/);
  });
});
