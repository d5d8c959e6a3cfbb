// A task bundle's removal must never reach through a rootfs a shim left mounted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundlePaths, createBundle, emptyTrash, removeBundle } from '../src/runtime/bundle';
import { tempDir } from './helpers';

const mountedAt = (path: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.split(' ')[4] === path).length;

describe('task bundles', { tags: ['kernel'] }, () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  const newDir = async (name: string) => {
    const dir = await tempDir(name);
    cleanups.push(dir.remove);
    return dir.path;
  };

  it('removes a bundle whose rootfs is still mounted (twice) without touching what is mounted', async () => {
    const dir = await newDir('bundle-mounted');
    const source = join(dir, 'container-files');
    mkdirSync(source);
    writeFileSync(join(source, 'keep'), 'data');
    const paths = bundlePaths(join(dir, 'state'), join(dir, 'root'), 'ns', 'task1');
    createBundle(paths, Buffer.from('{}'));
    const rootfs = join(paths.path, 'rootfs');
    for (let i = 0; i < 2; i++) execFileSync('mount', ['--bind', source, rootfs]);
    cleanups.push(() => {
      while (mountedAt(rootfs) > 0) execFileSync('umount', ['-l', rootfs]);
    });
    expect(mountedAt(rootfs)).toBe(2);

    await removeBundle(paths);

    expect(mountedAt(rootfs)).toBe(0);
    expect(existsSync(paths.path)).toBe(false);
    expect(existsSync(paths.work)).toBe(false);
    expect(readFileSync(join(source, 'keep'), 'utf8')).toBe('data');
  });

  it('removes a bundle that is partly or wholly gone', async () => {
    const dir = await newDir('bundle-gone');
    const paths = bundlePaths(join(dir, 'state'), join(dir, 'root'), 'ns', 'task2');
    await removeBundle(paths);
    createBundle(paths, Buffer.from('{}'));
    await removeBundle(paths);
    expect(existsSync(paths.path)).toBe(false);
    expect(existsSync(paths.work)).toBe(false);
  });

  it('frees both paths before the files are deleted, then leaves the trash empty', async () => {
    const dir = await newDir('bundle-trash');
    const paths = bundlePaths(join(dir, 'state'), join(dir, 'root'), 'ns', 'task3');
    createBundle(paths, Buffer.from('{}'));
    writeFileSync(join(paths.path, 'init.pid'), '1');
    writeFileSync(join(paths.work, 'log'), 'x');

    const deleted = removeBundle(paths);
    // A task with the same id can be created at once, while the old files are still going.
    expect(existsSync(paths.path)).toBe(false);
    expect(existsSync(paths.work)).toBe(false);
    createBundle(paths, Buffer.from('{"second":true}'));
    await deleted;

    expect(readFileSync(join(paths.path, 'config.json'), 'utf8')).toBe('{"second":true}');
    for (const trash of paths.trash) expect(readdirSync(trash)).toEqual([]);
  });

  it('empties what a stopped daemon left in the trash', async () => {
    const dir = await newDir('bundle-leftovers');
    const paths = bundlePaths(join(dir, 'state'), join(dir, 'root'), 'ns', 'task4');
    for (const trash of paths.trash) {
      mkdirSync(join(trash, 'task4-1', 'sub'), { recursive: true });
      writeFileSync(join(trash, 'task4-1', 'sub', 'file'), 'x');
    }
    await emptyTrash(join(dir, 'state'), join(dir, 'root'));
    for (const trash of paths.trash) expect(existsSync(trash)).toBe(false);
  });
});
