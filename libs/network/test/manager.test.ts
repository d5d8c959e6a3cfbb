// Network bookkeeping that needs no kernel: creating, finding, listing and removing networks
// (bridges appear only when a container connects).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetworkManager, type NetworkManagerOptions } from '../src';

describe('NetworkManager networks', () => {
  let opts: NetworkManagerOptions;
  beforeEach(async () => {
    const root = await mkdtemp(join(tmpdir(), 'berth-netmgr-'));
    opts = { root, netnsDir: join(root, 'netns'), logger: pino({ level: 'silent' }) };
  });
  afterEach(() => rm(opts.root, { recursive: true, force: true }));

  it('has the predefined bridge, host and none networks, kept across reopening', async () => {
    const m = await NetworkManager.open(opts);
    const names = (await m.list()).map((n) => [n.Name, n.Driver]).sort();
    expect(names).toEqual([
      ['bridge', 'bridge'],
      ['host', 'host'],
      ['none', 'null'],
    ]);
    const bridge = await m.inspect('bridge');
    expect(bridge.IPAM.Config).toEqual([{ Subnet: '198.18.0.0/24', Gateway: '198.18.0.1' }]);
    expect(bridge.Options['com.docker.network.bridge.name']).toBe('berth0');
    const again = await NetworkManager.open(opts);
    expect((await again.inspect('bridge')).Id).toBe(bridge.Id);
    await expect(m.remove('bridge')).rejects.toMatchObject({
      statusCode: 403,
      message: 'bridge is a pre-defined network and cannot be removed',
    });
  });

  it('creates user networks from the pool, finds them by name, id and prefix, and removes them', async () => {
    const m = await NetworkManager.open(opts);
    const a = await m.create({ name: 'alpha', labels: { team: 'x' } });
    const b = await m.create({ name: 'beta', subnet: '198.19.7.0/24', gateway: '198.19.7.9' });
    expect(a.IPAM.Config).toEqual([{ Subnet: '198.18.1.0/24', Gateway: '198.18.1.1' }]);
    expect(a.Options['com.docker.network.bridge.name']).toBe(`br-${a.Id.slice(0, 12)}`);
    expect(a.Labels).toEqual({ team: 'x' });
    expect(b.IPAM.Config[0]!.Gateway).toBe('198.19.7.9');
    expect((await m.inspect(a.Id.slice(0, 6))).Name).toBe('alpha');
    expect((await m.inspect(b.Id)).Name).toBe('beta');
    await m.remove('alpha');
    await expect(m.inspect('alpha')).rejects.toMatchObject({
      statusCode: 404,
      message: 'network alpha not found',
    });
    expect(await m.prune()).toEqual(['beta']);
    expect((await m.list()).map((n) => n.Name).sort()).toEqual(['bridge', 'host', 'none']);
  });

  it('rejects bad requests with Docker’s status and words, leaving nothing behind', async () => {
    const m = await NetworkManager.open(opts);
    await m.create({ name: 'dup' });
    await expect(m.create({ name: 'dup' })).rejects.toMatchObject({
      statusCode: 409,
      message: 'network with name dup already exists',
    });
    await expect(m.create({ name: 'bridge' })).rejects.toMatchObject({ statusCode: 409 });
    await expect(m.create({ name: '-bad' })).rejects.toMatchObject({ statusCode: 400 });
    await expect(m.create({ name: 'o', driver: 'overlay' })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(m.create({ name: 'ov', subnet: '198.18.1.0/25' })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(m.create({ name: 'gw', gateway: '198.18.9.1' })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(
      m.create({ name: 'br', options: { 'com.docker.network.bridge.name': 'x/../../y' } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect((await m.list()).map((n) => n.Name).sort()).toEqual(['bridge', 'dup', 'host', 'none']);
    await expect(m.connect('nope', 'dup')).rejects.toMatchObject({
      statusCode: 404,
      message: 'No such container: nope',
    });
    await expect(m.resolvConf('nope')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('host-mode sandboxes need no namespace and cannot connect to networks', async () => {
    const m = await NetworkManager.open(opts);
    const s = await m.createSandbox('h1', { mode: 'host' });
    expect(s.netnsPath).toBeNull();
    await expect(m.createSandbox('h1', { mode: 'host' })).rejects.toMatchObject({
      statusCode: 409,
    });
    await expect(m.connect('h1', 'bridge')).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      m.createSandbox('h2', { mode: 'container', container: 'nope' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    const shared = await m.createSandbox('h2', { mode: 'container', container: 'h1' });
    expect(shared.netnsPath).toBeNull();
    await m.removeSandbox('h2');
    await m.removeSandbox('h1');
    expect(m.sandbox('h1')).toBeUndefined();
  });
});
