import {
  chownSync,
  constants,
  linkSync,
  lutimesSync,
  mkdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../src/core/containerd';
import { targetOf } from '../src/core/diff/service';
import { lsetxattr, mknod } from '../src/core/sys/syscalls';
import { tempDir } from './helpers';
import { describeTree } from './tree';

const ctx = { namespace: 'default' };

// Diff.Diff then Diff.Apply must reproduce a snapshot's upper layer exactly, whiteouts,
// opaque directories, hard links, owners and times included.
describe('Diff.Diff round trip', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: Core;
  beforeAll(async () => {
    dir = await tempDir('diff');
    core = new Core({ root: dir.path });
  });
  afterAll(async () => {
    core.close();
    await dir.remove();
  });

  it('produces a layer that applies back to the same tree', async () => {
    const baseUpper = targetOf(core.snapshots.prepare(ctx, 'base-active', '', {})).upper;
    mkdirSync(join(baseUpper, 'etc'));
    writeFileSync(join(baseUpper, 'etc', 'gone'), 'removed above');
    mkdirSync(join(baseUpper, 'opaque'));
    writeFileSync(join(baseUpper, 'opaque', 'hidden'), 'hidden above');
    core.snapshots.commit(ctx, 'base', 'base-active', {});

    const { upper } = targetOf(core.snapshots.prepare(ctx, 'child', 'base', {}));
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc', 'conf'), 'x'.repeat(3000), { mode: 0o640 });
    chownSync(join(upper, 'etc', 'conf'), 1000, 1001);
    linkSync(join(upper, 'etc', 'conf'), join(upper, 'etc', 'conf-link'));
    symlinkSync('../etc/conf', join(upper, 'etc', 'sym'));
    mknod(join(upper, 'etc', 'gone'), constants.S_IFCHR, 0, 0);
    mkdirSync(join(upper, 'opaque'));
    lsetxattr(join(upper, 'opaque'), 'trusted.overlay.opaque', Buffer.from('y'));
    writeFileSync(join(upper, 'opaque', 'new'), 'only this');
    lutimesSync(join(upper, 'etc', 'sym'), 1_600_000_000, 1_600_000_000);
    for (const p of ['etc/conf', 'opaque/new', 'etc', 'opaque', '']) {
      utimesSync(join(upper, p), 1_600_000_000, 1_600_000_000);
    }

    const lower = core.snapshots.view(ctx, 'base-view', 'base', {});
    const desc = await core.diff.diff(ctx, lower, core.snapshots.mounts(ctx, 'child'), {
      mediaType: '',
      ref: 'diff-test',
      labels: { 'test.label': 'yes' },
    });
    expect(desc.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const info = core.content.info(ctx, desc.digest);
    expect(info.size).toBe(desc.size);
    expect(info.labels['test.label']).toBe('yes');

    const copyMounts = core.snapshots.prepare(ctx, 'copy', 'base', {});
    const applied = await core.diff.apply(ctx, desc, copyMounts);
    expect(applied.digest).toBe(info.labels['containerd.io/uncompressed']);
    const copy = targetOf(copyMounts).upper;
    utimesSync(copy, 1_600_000_000, 1_600_000_000);
    // Whiteouts carry no times of their own (upstream's converter does not set them either).
    const comparable = async (root: string) =>
      (await describeTree(root, { dirTimes: true })).map((l) =>
        l.includes(' c 0 ') ? l.replace(/ \S+$/, '') : l,
      );
    expect(await comparable(copy)).toEqual(await comparable(upper));
  });
});
