import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstallHost } from '../src/install/host';
import { install } from '../src/install/install';
import { findCheckout, readLayout, unitForPrefix, type SourceLayout } from '../src/install/layout';
import { MANIFEST_PATH } from '../src/install/manifest';
import { uninstall } from '../src/install/uninstall';

const REAL_UNITS = join(findCheckout(), 'tools', 'systemd');

/** Every file and symlink below `dir`, as paths relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length))
    .sort();
}

class FakeHost implements InstallHost {
  calls: string[][] = [];
  groups = new Set<string>(['root']);
  failOn?: string;
  constructor(readonly root: string) {}
  path = (p: string) => join(this.root, p);
  systemctl(args: string[]) {
    this.calls.push(args);
    return args[0] === this.failOn
      ? Promise.reject(new Error(`systemctl ${args[0]} failed`))
      : Promise.resolve();
  }
  groupExists = (name: string) => Promise.resolve(this.groups.has(name));
  addSystemGroup = (name: string) => Promise.resolve(void this.groups.add(name));
  removeGroup = (name: string) => Promise.resolve(void this.groups.delete(name));
  unusableReason: () => string | undefined = () => undefined;
}

let dir: string;
let host: FakeHost;
let source: SourceLayout;
const log: string[] = [];

function fakeCheckout(): SourceLayout {
  const checkout = join(dir, 'checkout');
  for (const [pkg, bin] of [
    ['services/dockerd', 'berth-dockerd'],
    ['services/containerd', 'berth-containerd'],
    ['tools/berth', 'berth'],
  ] as const) {
    mkdirSync(join(checkout, pkg, 'dist'), { recursive: true });
    writeFileSync(
      join(checkout, pkg, 'package.json'),
      JSON.stringify({ bin: { [bin]: `dist/${bin}.mjs` } }),
    );
    writeFileSync(join(checkout, pkg, 'dist', `${bin}.mjs`), '#!/usr/bin/env node\n', {
      mode: 0o755,
    });
  }
  mkdirSync(join(checkout, 'tools', 'systemd'), { recursive: true });
  for (const unit of readdirSync(REAL_UNITS).filter((f) => f.startsWith('berth')))
    writeFileSync(
      join(checkout, 'tools', 'systemd', unit),
      readFileSync(join(REAL_UNITS, unit), 'utf8'),
    );
  return readLayout(checkout);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-install-'));
  host = new FakeHost(join(dir, 'root'));
  mkdirSync(host.path('/usr/bin'), { recursive: true });
  writeFileSync(host.path('/usr/bin/node'), '', { mode: 0o755 });
  mkdirSync(host.path('/etc/systemd/system'), { recursive: true });
  source = fakeCheckout();
  log.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const opts = () => ({ prefix: '/usr/local', enable: true, source });
const print = (line: string) => void log.push(line);

describe('berth install', () => {
  it('links every executable, installs every unit, creates the group, reloads and enables', async () => {
    await install(opts(), host, print);
    expect(readlinkSync(host.path('/usr/local/bin/berth-dockerd'))).toBe(
      join(source.root, 'services/dockerd/dist/berth-dockerd.mjs'),
    );
    expect(tree(host.root)).toEqual([
      '/etc/systemd/system/berth-containerd.service',
      '/etc/systemd/system/berth-docker.socket',
      '/etc/systemd/system/berth-dockerd.service',
      '/etc/systemd/system/berth-registry.service',
      '/etc/systemd/system/berth.target',
      '/usr/bin/node',
      '/usr/local/bin/berth',
      '/usr/local/bin/berth-containerd',
      '/usr/local/bin/berth-dockerd',
      MANIFEST_PATH,
    ]);
    expect(host.groups.has('docker')).toBe(true);
    const units = [
      'berth-containerd.service',
      'berth-docker.socket',
      'berth-dockerd.service',
      'berth-registry.service',
      'berth.target',
    ];
    expect(host.calls).toEqual([['daemon-reload'], ['enable', ...units]]);
  });

  it('with --no-enable only reloads', async () => {
    await install({ ...opts(), enable: false }, host, print);
    expect(host.calls).toEqual([['daemon-reload']]);
  });

  it('rewrites the units for another prefix', async () => {
    await install({ ...opts(), prefix: '/opt/berth' }, host, print);
    const unit = readFileSync(host.path('/etc/systemd/system/berth-dockerd.service'), 'utf8');
    expect(unit).toContain('\nExecStart=/opt/berth/bin/berth-dockerd -H fd://');
    expect(unit).not.toContain('/usr/local/bin');
    expect(existsSync(host.path('/opt/berth/bin/berth-containerd'))).toBe(true);
    expect(unitForPrefix('ExecStartPre=-/usr/local/bin/x\n', '/p')).toBe(
      'ExecStartPre=-/p/bin/x\n',
    );
  });

  it('is repeatable over its own installation', async () => {
    await install(opts(), host, print);
    await install(opts(), host, print);
    expect(host.groups.has('docker')).toBe(true);
    await uninstall(host, print);
    expect(host.groups.has('docker')).toBe(false); // still the install that created it
  });

  it('refuses to replace files it did not install, and changes nothing', async () => {
    mkdirSync(host.path('/usr/local/bin'), { recursive: true });
    writeFileSync(host.path('/usr/local/bin/berth-dockerd'), 'someone else');
    const before = tree(host.root);
    await expect(install(opts(), host, print)).rejects.toThrow(
      /not installed by berth, left alone: \/usr\/local\/bin\/berth-dockerd/,
    );
    expect(tree(host.root)).toEqual(before);
    expect(host.calls).toEqual([]);
  });

  it('leaves a link that was already exactly in place to its owner', async () => {
    mkdirSync(host.path('/usr/local/bin'), { recursive: true });
    const bundle = join(source.root, 'services/dockerd/dist/berth-dockerd.mjs');
    symlinkSync(bundle, host.path('/usr/local/bin/berth-dockerd'));
    await install(opts(), host, print);
    expect(log).toContain('already in place, not managed by berth: /usr/local/bin/berth-dockerd');
    await uninstall(host, print);
    expect(tree(host.root)).toEqual(['/usr/bin/node', '/usr/local/bin/berth-dockerd']);
    expect(readlinkSync(host.path('/usr/local/bin/berth-dockerd'))).toBe(bundle);
  });

  it('undoes every change when systemd refuses the units', async () => {
    host.failOn = 'enable';
    const before = tree(host.root);
    await expect(install(opts(), host, print)).rejects.toThrow(/systemctl enable failed/);
    expect(tree(host.root)).toEqual(before);
    expect(existsSync(host.path('/usr/local'))).toBe(false);
    expect(host.groups.has('docker')).toBe(false);
    expect(host.calls.at(-1)).toEqual(['daemon-reload']);
  });

  it('names missing bundles and a node systemd cannot find', async () => {
    rmSync(join(source.root, 'services/dockerd/dist'), { recursive: true });
    await expect(install(opts(), host, print)).rejects.toThrow(
      /not built: .*berth-dockerd\.mjs \(run: npx nx run-many -t build\)/,
    );
    source = fakeCheckout();
    rmSync(host.path('/usr/bin/node'));
    await expect(install(opts(), host, print)).rejects.toThrow(/node is not on systemd's PATH/);
  });

  it('refuses on a machine without systemd', async () => {
    host.unusableReason = () => 'systemd is not running';
    await expect(install(opts(), host, print)).rejects.toThrow('systemd is not running');
  });
});

describe('berth uninstall', () => {
  it('stops, kills what KillMode=process leaves, disables and removes everything it installed', async () => {
    await install(opts(), host, print);
    host.calls = [];
    expect(await uninstall(host, print)).toBe(true);
    expect(tree(host.root)).toEqual(['/usr/bin/node']);
    expect(existsSync(host.path('/var/lib/berth'))).toBe(false);
    expect(existsSync(host.path('/usr/local'))).toBe(false);
    expect(host.groups.has('docker')).toBe(false);
    const units = [
      'berth-containerd.service',
      'berth-docker.socket',
      'berth-dockerd.service',
      'berth-registry.service',
      'berth.target',
    ];
    expect(host.calls).toEqual([
      ['stop', ...units],
      ['kill', '--kill-whom=all', '--signal=SIGKILL', 'berth-containerd.service'],
      ['kill', '--kill-whom=all', '--signal=SIGKILL', 'berth-dockerd.service'],
      ['disable', ...units],
      ['daemon-reload'],
      ['reset-failed', ...units],
    ]);
  });

  it('keeps a group that existed before and files changed since', async () => {
    host.groups.add('docker');
    await install(opts(), host, print);
    writeFileSync(host.path('/etc/systemd/system/berth-registry.service'), '# mine\n');
    mkdirSync(host.path('/var/lib/berth/registry'), { recursive: true }); // data stays
    await uninstall(host, print);
    expect(host.groups.has('docker')).toBe(true);
    expect(tree(host.root)).toEqual([
      '/etc/systemd/system/berth-registry.service',
      '/usr/bin/node',
    ]);
    expect(existsSync(host.path('/var/lib/berth/registry'))).toBe(true);
    expect(log).toContain(
      'kept /etc/systemd/system/berth-registry.service: changed since berth installed it',
    );
  });

  it('says so when nothing is installed', async () => {
    expect(await uninstall(host, print)).toBe(false);
    expect(log).toEqual([`berth is not installed (no ${MANIFEST_PATH})`]);
  });
});
