// A container sharing the runtime's mount namespace (runtime-tools' linux_ns_itype): it is
// only chrooted, and the host's mount table is left exactly as it was.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, type TestBundle } from '../helpers/bundle';

/** Host mounts under `dir` (other tests may mount elsewhere on the host meanwhile). */
const mountsUnder = (dir: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.split(' ')[4]?.startsWith(dir));

describe('a container without a mount namespace', { tags: ['kernel'] }, () => {
  let b: TestBundle;
  beforeAll(async () => {
    b = await makeBundle();
    await writeFile(join(b.rootfs, 'marker'), 'inside-rootfs\n');
  });
  afterAll(async () => {
    await b.cleanup();
  });

  const noMountNs = (args: string[]) => (s: Parameters<Parameters<TestBundle['write']>[0]>[0]) => {
    s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'mount');
    s.process!.args = args;
  };

  it('runs chrooted in its rootfs and mounts nothing on the host', async () => {
    const r = await b.run(
      'chrooted',
      noMountNs(['sh', '-c', 'cat /marker; pwd; ls /proc | wc -l']),
    );
    expect(r.code).toBe(0);
    // No proc is mounted for it: the rootfs' own empty /proc is what it sees.
    expect(r.output).toBe('inside-rootfs\n/\n0\n');
    expect(mountsUnder(b.dir)).toEqual([]);
  });

  it('exec enters the same root', async () => {
    await b.write(noMountNs(['sleep', '60']));
    await b.runtime.create('chroot-exec', { bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
    await b.runtime.start('chroot-exec');
    const out = join(b.dir, 'exec-out');
    const fd = openSync(out, 'w');
    try {
      const spec = (await b.runtime.store.load('chroot-exec')).spec;
      const launched = await b.runtime.exec(
        'chroot-exec',
        { ...spec.process!, args: ['cat', '/marker'] },
        { stdio: ['ignore', fd, fd] },
      );
      expect(await launched.exited).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(out, 'utf8')).toBe('inside-rootfs\n');
    await b.runtime.delete('chroot-exec', true);
  });
});
