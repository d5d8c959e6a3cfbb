import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OverlayFs } from './overlay';

describe('OverlayFs.remove', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-overlay-remove-'));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes the directory away at once and deletes it in the background', async () => {
    const fs = new OverlayFs(root);
    fs.create(7);
    mkdirSync(join(fs.upperPath(7), 'a/b'), { recursive: true });
    writeFileSync(join(fs.upperPath(7), 'a/b/file'), 'x');
    fs.remove(7);
    expect(existsSync(fs.dir(7))).toBe(false);
    for (let i = 0; readdirSync(join(root, 'snapshots')).length > 0; i++) {
      if (i > 100) throw new Error(`left behind: ${readdirSync(join(root, 'snapshots')).join()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    fs.remove(7); // already gone: nothing to do
  });

  it('leaves what a crash interrupted to removeOrphans', () => {
    const fs = new OverlayFs(root);
    fs.create(1);
    mkdirSync(join(root, 'snapshots', 'removing-2-0badf00d', 'fs'), { recursive: true });
    expect(fs.removeOrphans(new Set([1]))).toBe(1);
    expect(readdirSync(join(root, 'snapshots'))).toEqual(['1']);
  });
});
