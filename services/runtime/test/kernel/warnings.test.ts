// runc's warnings: a config berth-runc runs anyway, saying on stderr what it did not apply.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, makeBundle, removeCgroupParent } from '../helpers';

describe('berth-runc warnings', { tags: ['kernel'] }, () => {
  const root = join(tmpdir(), `berth-runc-warn-${process.pid}`);
  let bundle: string;

  beforeAll(async () => {
    buildCli();
    bundle = await makeBundle((s) => {
      s.process!.args = ['cat', '/proc/self/status'];
      s.process!.capabilities = { bounding: ['CAP_KILL', 'CAP_FUTURE'] };
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'mount');
    });
  });
  afterAll(async () => {
    await rm(bundle, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
    await removeCgroupParent();
  });

  it('runs without a mount namespace and with an unknown capability, warning about both', async () => {
    const res = await cli(['--root', root, 'run', '--bundle', bundle, 'warn1']);
    // Without a mount namespace nothing is mounted: /proc is the rootfs' empty directory.
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^time="[^"]+" level=warning msg="no mount namespace: mounts, maskedPaths, readonlyPaths, root.readonly not applied, the root is entered with chroot"$/,
    );
    expect(lines[1]).toMatch(
      /level=warning msg="ignoring unknown or unavailable capabilities: \[CAP_FUTURE\]"$/,
    );
    expect(lines[2]).toMatch(/cat: can't open '\/proc\/self\/status'/);
  });
});
