// Bundles written to escape: symlinks in the rootfs must never redirect a mount, a device or
// the working directory to the host.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, type TestBundle } from '../helpers/bundle';

describe('hostile bundles', { tags: ['kernel'] }, () => {
  let b: TestBundle;
  let host: string;
  beforeAll(async () => {
    b = await makeBundle();
    host = await mkdtemp(join(tmpdir(), 'berth-host-'));
  });
  afterAll(async () => {
    await b.cleanup();
    await rm(host, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const l of ['evil', 'up', 'esc']) await rm(join(b.rootfs, l), { force: true });
  });

  const sh = (script: string) => ['sh', '-c', script];

  it('refuses proc on a symlinked /proc (rootfs/proc -> /)', async () => {
    await rm(join(b.rootfs, 'proc'), { recursive: true });
    await symlink('/', join(b.rootfs, 'proc'));
    try {
      await expect(b.run('proc-link')).rejects.toThrow(/mount destination \/proc/);
      expect(await b.runtime.store.list()).toEqual([]);
    } finally {
      await rm(join(b.rootfs, 'proc'));
      await mkdir(join(b.rootfs, 'proc'));
    }
  });

  it('refuses sysfs on /sys pointing into /proc', async () => {
    await rm(join(b.rootfs, 'sys'), { recursive: true });
    await symlink('/proc', join(b.rootfs, 'sys'));
    try {
      await expect(b.run('sys-link')).rejects.toThrow(/mount destination \/sys/);
    } finally {
      await rm(join(b.rootfs, 'sys'));
      await mkdir(join(b.rootfs, 'sys'));
    }
  });

  it('keeps a mount through an absolute symlink to /etc inside the rootfs', async () => {
    await symlink('/etc', join(b.rootfs, 'evil'));
    const target = `berth-escape-${process.pid}`;
    const r = await b.run('abs-link', (s) => {
      s.mounts!.push({ destination: `/evil/${target}`, type: 'tmpfs', source: 'tmpfs' });
      s.process!.args = sh(`grep -c " /etc/${target} tmpfs" /proc/mounts`);
    });
    expect(r.output.trim()).toBe('1');
    expect(existsSync(`/etc/${target}`)).toBe(false);
    expect(existsSync(join(b.rootfs, 'etc', target))).toBe(true);
  });

  it('keeps a bind through a relative ../ symlink and a ../ destination inside the rootfs', async () => {
    const victim = join(host, 'victim');
    await mkdir(victim);
    await symlink(`../../../../../../..${victim}`, join(b.rootfs, 'up'));
    const src = join(host, 'src');
    await mkdir(src);
    await writeFile(join(src, 'marker'), 'inside\n');
    const r = await b.run('rel-link', (s) => {
      s.mounts!.push({ destination: '/up/m', source: src, options: ['rbind', 'ro'] });
      s.mounts!.push({ destination: `/../../..${victim}/n`, type: 'tmpfs', source: 'tmpfs' });
      s.process!.args = sh(`cat /up/m/marker; touch /up/m/w 2>/dev/null || echo read-only`);
    });
    expect(r.output).toBe('inside\nread-only\n');
    expect(existsSync(join(victim, 'm'))).toBe(false);
    expect(existsSync(join(victim, 'n'))).toBe(false);
  });

  it('creates devices through a symlinked directory inside the rootfs', async () => {
    await symlink('/etc', join(b.rootfs, 'evil'));
    const r = await b.run('dev-link', (s) => {
      s.linux!.devices = [
        { path: `/evil/berth-null-${process.pid}`, type: 'c', major: 1, minor: 3 },
      ];
      s.process!.args = ['true'];
    });
    expect(r.code).toBe(0);
    expect(existsSync(`/etc/berth-null-${process.pid}`)).toBe(false);
  });

  it('resolves a cwd symlinked to / as the container root, not the host', async () => {
    await symlink('/../../../../', join(b.rootfs, 'esc'));
    await writeFile(join(host, 'host-only'), '');
    const r = await b.run('cwd-link', (s) => {
      s.process!.cwd = '/esc';
      s.process!.args = sh(`ls ${host}/host-only 2>&1 | grep -c "No such"; ls -d bin`);
    });
    expect(r.output).toBe('1\nbin\n');
  });

  it('sees its own root through /proc/self/cwd and /proc/1/root', async () => {
    const r = await b.run('proc-root', (s) => {
      s.process!.args = sh('readlink /proc/self/cwd; readlink /proc/1/root');
    });
    expect(r.output).toBe('/\n/\n');
  });
});
