// The real thing, as root: namespaces pinned by the native helper, Debian's CNI plugins,
// iptables, the embedded DNS. Addresses only in 198.19.192.0/18 (inside 198.18.0.0/15), bridge
// names unique to the run; everything is removed afterwards, even when a test fails.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkManager, type NetworkManagerOptions, type NetworkResource } from '../src';
import { readLeases } from '../src/leases';
import { NetnsDir } from '../src/netns/netns';
import {
  FETCH,
  HTTP_SERVER,
  RESOLVE_AND_GET,
  runIn,
  SOURCE_ECHO,
  startIn,
  stopAll,
  UDP_ECHO,
  udpRequest,
} from './helpers/container';
import {
  bridgePorts,
  declaredChains,
  eventually,
  iptablesSave,
  links,
  ownedRules,
  run,
} from './helpers/host';

const tag = randomBytes(3).toString('hex');
/** Every bridge a test's network got, deleted at the end even if the library forgot one. */
const bridges = new Set<string>([`bt${tag}0`]);
async function track(created: Promise<NetworkResource>): Promise<NetworkResource> {
  const net = await created;
  bridges.add(net.Options['com.docker.network.bridge.name']!);
  return net;
}
const cid = (n: string) => `${n}-${tag}`;
const pingFrom = async (netns: string, address: string) =>
  (await run('nsenter', [`--net=${netns}`, 'busybox', 'ping', '-c1', '-W2', address])).stdout;

describe('networking with the standard CNI plugins', { tags: ['kernel'] }, () => {
  let root: string;
  let opts: NetworkManagerOptions;
  let m: NetworkManager;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'berth-network-'));
    opts = {
      root,
      netnsDir: join(`/run/berth-test-${tag}`, 'netns'),
      defaultBridge: { bridge: `bt${tag}0`, subnet: '198.19.200.0/24' },
      subnetPool: { base: '198.19.208.0/20', size: 24 },
      logger: pino({ level: 'silent' }),
    };
    m = await NetworkManager.open(opts);
  });

  afterAll(async () => {
    stopAll();
    await m?.close();
    // Whatever a failed test left: a fresh manager releases it all, then the networks go.
    const fresh = await NetworkManager.open(opts);
    await fresh.reconcile([]);
    await fresh.prune();
    for (const bridge of bridges)
      await run('ip', ['link', 'delete', 'dev', bridge]).catch(() => {});
    await fresh.close();
    await rm(`/run/berth-test-${tag}`, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it('gives a sandbox without networks a loopback interface that is up (--network none)', async () => {
    const s = await m.createSandbox(cid('none'));
    const addr = await run('nsenter', [`--net=${s.netnsPath}`, 'ip', '-o', 'addr', 'show', 'lo']);
    expect(addr.stdout).toContain('inet 127.0.0.1/8');
    expect(await pingFrom(s.netnsPath!, '127.0.0.1')).toContain('1 packets received');
    await m.removeSandbox(s.containerId);
  });

  it('connects containers on a user network: ping, DNS names and aliases, HTTP', async () => {
    const net = await track(m.create({ name: `app-${tag}` }));
    expect(net.IPAM.Config[0]!.Subnet).toBe('198.19.208.0/24');
    const a = await m.createSandbox(cid('a'), { name: `web-${tag}` });
    const b = await m.createSandbox(cid('b'), { name: `db-${tag}` });
    const ea = await m.connect(a.containerId, net.Name, { aliases: ['frontend'] });
    const eb = await m.connect(b.containerId, net.Id);
    expect(ea).toMatchObject({ ifName: 'eth0', prefixLen: 24, gateway: '198.19.208.1' });
    expect(eb.ipAddress).toMatch(/^198\.19\.208\.\d+$/);

    expect(await pingFrom(a.netnsPath!, eb.ipAddress)).toContain('1 packets received');

    await startIn(b.netnsPath!, HTTP_SERVER('from db'));
    await startIn(a.netnsPath!, HTTP_SERVER('from web'));
    expect(await runIn(a.netnsPath!, RESOLVE_AND_GET(ea.gateway, `db-${tag}`))).toBe(
      `${eb.ipAddress} from db`,
    );
    expect(await runIn(b.netnsPath!, RESOLVE_AND_GET(eb.gateway, 'frontend'))).toBe(
      `${ea.ipAddress} from web`,
    );
    expect(await runIn(b.netnsPath!, RESOLVE_AND_GET(eb.gateway, `web-${tag}.app-${tag}`))).toBe(
      `${ea.ipAddress} from web`,
    );
    // Not a container name: nothing is forwarded off the machine.
    expect(await runIn(a.netnsPath!, RESOLVE_AND_GET(ea.gateway, 'example.com'))).toBe(
      'ERR ESERVFAIL',
    );

    expect(await m.resolvConf(a.containerId)).toMatch(
      /^nameserver 198\.19\.208\.1\n(.*\n)*options ndots:0\n$/,
    );
    expect(await m.hostsFile(a.containerId)).toContain(
      `${ea.ipAddress}\t${a.containerId.slice(0, 12)}`,
    );
    expect(Object.keys((await m.inspect(net.Id)).Containers).sort()).toEqual(
      [a.containerId, b.containerId].sort(),
    );
    await m.check(a.containerId);

    stopAll();
    await m.removeSandbox(a.containerId);
    await m.removeSandbox(b.containerId);
    await m.remove(net.Id);
    expect(await links()).not.toContain(net.Options['com.docker.network.bridge.name']);
  });

  it('publishes TCP and UDP ports on 127.0.0.1 and the host addresses', async () => {
    const c = await m.createSandbox(cid('pub'));
    const ep = await m.connect(c.containerId, 'bridge', {
      ports: [
        { containerPort: 80, hostPort: 0, protocol: 'tcp' },
        { containerPort: 5300, hostPort: 0, protocol: 'udp' },
      ],
    });
    expect(ep.ipAddress).toMatch(/^198\.19\.200\.\d+$/);
    const tcp = ep.ports.find((p) => p.protocol === 'tcp')!.hostPort;
    const udp = ep.ports.find((p) => p.protocol === 'udp')!.hostPort;
    expect(tcp).toBeGreaterThan(1023);
    await startIn(c.netnsPath!, HTTP_SERVER('published'));
    await startIn(c.netnsPath!, UDP_ECHO(5300));

    expect(await (await fetch(`http://127.0.0.1:${tcp}/`)).text()).toBe('published');
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal && !i.address.startsWith('198.1'));
    if (other)
      expect(await (await fetch(`http://${other.address}:${tcp}/`)).text()).toBe('published');
    expect(await udpRequest('127.0.0.1', udp, 'ping')).toBe('echo:ping');
    // The default bridge has no embedded DNS: containers get the host's resolvers.
    expect(await m.resolvConf(c.containerId)).not.toContain('198.19.200.1');

    stopAll();
    await m.removeSandbox(c.containerId);
    await expect(
      fetch(`http://127.0.0.1:${tcp}/`, { signal: AbortSignal.timeout(1000) }),
    ).rejects.toThrow();
  });

  it('masquerades outbound traffic behind the host', async () => {
    // An "outside" host: a namespace reached over a veth from the host, with no route back
    // to container subnets, so only masqueraded traffic can be answered.
    const outside = new NetnsDir(join(`/run/berth-test-${tag}`, 'outside'));
    const outsidePath = await outside.create('o');
    try {
      const inside = ['nsenter', `--net=${outsidePath}`, 'ip'];
      await run(inside[0]!, [
        ...inside.slice(1),
        'link',
        'add',
        'vo',
        'type',
        'veth',
        'peer',
        'name',
        `vh${tag}`,
        'netns',
        String(process.pid),
      ]);
      await run('ip', ['addr', 'add', '198.19.250.1/30', 'dev', `vh${tag}`]);
      await run('ip', ['link', 'set', `vh${tag}`, 'up']);
      await run(inside[0]!, [...inside.slice(1), 'addr', 'add', '198.19.250.2/30', 'dev', 'vo']);
      await run(inside[0]!, [...inside.slice(1), 'link', 'set', 'vo', 'up']);
      await startIn(outsidePath, SOURCE_ECHO);

      const c = await m.createSandbox(cid('nat'));
      await m.connect(c.containerId, 'bridge');
      expect(await runIn(c.netnsPath!, FETCH('http://198.19.250.2/'))).toBe('198.19.250.1');
      stopAll();
      await m.removeSandbox(c.containerId);
    } finally {
      stopAll();
      await outside.remove('o');
    }
  });

  it('adds a second interface to a running container (network connect) and removes it', async () => {
    const n1 = await track(
      m.create({
        name: `one-${tag}`,
        subnet: '198.19.230.0/24',
        ipRange: '198.19.230.128/25',
      }),
    );
    const n2 = await track(m.create({ name: `two-${tag}` }));
    const c = await m.createSandbox(cid('multi'));
    const e0 = await m.connect(c.containerId, n1.Id, { ip: '198.19.230.200' });
    expect(e0.ipAddress).toBe('198.19.230.200');
    const e1 = await m.connect(c.containerId, n2.Id);
    expect(e1.ifName).toBe('eth1');
    const addrs = (await run('nsenter', [`--net=${c.netnsPath}`, 'ip', '-o', '-4', 'addr'])).stdout;
    expect(addrs).toMatch(new RegExp(`eth0\\s+inet ${e0.ipAddress}/24`));
    expect(addrs).toMatch(new RegExp(`eth1\\s+inet ${e1.ipAddress}/24`));
    const routes = (await run('nsenter', [`--net=${c.netnsPath}`, 'ip', '-4', 'route'])).stdout;
    expect(routes).toMatch(/^default via 198\.19\.230\.1 dev eth0/m);

    // A static address outside --ip-range but inside the subnet is allowed, as in Docker.
    const d = await m.createSandbox(cid('static'));
    expect((await m.connect(d.containerId, n1.Id, { ip: '198.19.230.9' })).ipAddress).toBe(
      '198.19.230.9',
    );
    await expect(m.connect(c.containerId, n1.Id)).rejects.toMatchObject({ statusCode: 403 });
    await expect(m.connect(d.containerId, n2.Id, { ip: '198.19.208.7' })).rejects.toMatchObject({
      statusCode: 400,
    });
    await m.removeSandbox(d.containerId);
    const e = await m.createSandbox(cid('gw'));
    await expect(m.connect(e.containerId, n1.Id, { ip: '198.19.230.1' })).rejects.toMatchObject({
      statusCode: 403,
      message: 'Address already in use: 198.19.230.1',
    });
    await m.removeSandbox(e.containerId);

    await m.disconnect(c.containerId, n2.Id);
    const after = (await run('nsenter', [`--net=${c.netnsPath}`, 'ip', '-o', 'link'])).stdout;
    expect(after).not.toContain('eth1');
    await expect(m.remove(n1.Id)).rejects.toMatchObject({ statusCode: 403 });
    await m.removeSandbox(c.containerId);
    expect(await m.prune()).toEqual(expect.arrayContaining([`one-${tag}`, `two-${tag}`]));
  });

  it('leaves no veth, rule, namespace or lease after removal', async () => {
    const net = await track(m.create({ name: `gone-${tag}` }));
    const c = await m.createSandbox(cid('gone'));
    const e0 = await m.connect(c.containerId, 'bridge', {
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'udp' }],
    });
    const e1 = await m.connect(c.containerId, net.Id, { aliases: ['x'] });
    const userBridge = net.Options['com.docker.network.bridge.name']!;
    const veths = [...(await bridgePorts(`bt${tag}0`)), ...(await bridgePorts(userBridge))];
    expect(veths).toHaveLength(2);
    const markers = [c.containerId, `${e0.ipAddress}/`, `${e0.ipAddress}:`, `${e1.ipAddress}/`];
    const owned = ownedRules(await iptablesSave(), markers);
    // masquerade x2 (jump + chain rules), portmap DNAT, firewall forward rules.
    expect(owned.rules.length).toBeGreaterThanOrEqual(6);
    expect(owned.chains.length).toBeGreaterThanOrEqual(3);

    await m.removeSandbox(c.containerId);
    await m.remove(net.Id);

    const present = async () => (await links()).filter((l) => [...veths, userBridge].includes(l));
    expect(await eventually(async () => (await present()).length === 0)).toBe(true);
    const after = await iptablesSave();
    expect(ownedRules(after, markers).rules).toEqual([]);
    expect(owned.chains.filter((chain) => declaredChains(after).has(chain))).toEqual([]);
    expect(await readdir(opts.netnsDir!)).toEqual([]);
    expect(await readLeases(join(root, 'ipam'))).toEqual([]);
  });

  it('reconciles after a crash: dead containers released, live ones keep connectivity and DNS', async () => {
    const net = await track(m.create({ name: `crash-${tag}` }));
    const live = await m.createSandbox(cid('live'), { name: `live-${tag}` });
    const dead = await m.createSandbox(cid('dead'));
    const lost = await m.createSandbox(cid('lost'));
    const eLive = await m.connect(live.containerId, net.Id);
    await m.connect(dead.containerId, 'bridge', {
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    });
    await m.connect(lost.containerId, 'bridge');
    await startIn(live.netnsPath!, HTTP_SERVER('still here'));
    const markers = [live.containerId, dead.containerId, lost.containerId];
    const owned = ownedRules(await iptablesSave(), markers);

    // kill -9 of dockerd: nothing is closed; and one namespace vanishes behind our back.
    const crashed = m;
    await run('umount', ['-l', lost.netnsPath!]);
    await rm(lost.netnsPath!);
    m = await NetworkManager.open(opts);
    await crashed.close(); // frees the DNS port, as the dead process's exit would
    const report = await m.reconcile([live.containerId]);
    expect(report.sandboxesRemoved.sort()).toEqual([dead.containerId, lost.containerId].sort());

    expect(await readdir(opts.netnsDir!)).toEqual([live.containerId]);
    const leases = await readLeases(join(root, 'ipam'));
    expect(leases.map((l) => l.containerId)).toEqual([live.containerId]);
    const save = await iptablesSave();
    expect(save).not.toContain(dead.containerId);
    expect(save).not.toContain(lost.containerId);
    // The live container still answers by name through the restarted DNS server.
    const probe = await m.createSandbox(cid('probe'));
    await m.connect(probe.containerId, net.Id);
    expect(await runIn(probe.netnsPath!, RESOLVE_AND_GET(eLive.gateway, `live-${tag}`))).toBe(
      `${eLive.ipAddress} still here`,
    );
    await m.check(live.containerId);

    stopAll();
    await m.removeSandbox(probe.containerId);
    await m.removeSandbox(live.containerId);
    await m.remove(net.Id);
    const after = await iptablesSave();
    expect(ownedRules(after, markers).rules).toEqual([]);
    expect(owned.chains.filter((chain) => declaredChains(after).has(chain))).toEqual([]);
  });

  it('reconcile releases what a crash left between plugin ADD and the record', async () => {
    const c = await m.createSandbox(cid('half'));
    const ep = await m.connect(c.containerId, 'bridge', {
      ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    });
    // The crash: the endpoint never reached the record, and a namespace never got one.
    const file = join(root, 'sandboxes', `${c.containerId}.json`);
    await writeFile(
      file,
      JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), endpoints: [] }),
    );
    await new NetnsDir(opts.netnsDir!).create(cid('stray'));
    const crashed = m;
    m = await NetworkManager.open(opts);
    await crashed.close();

    const report = await m.reconcile([c.containerId]);
    expect(report.netnsRemoved).toEqual([cid('stray')]);
    expect(report.leasesReleased).toBe(1);
    expect(await readdir(opts.netnsDir!)).toEqual([c.containerId]);
    expect(await readLeases(join(root, 'ipam'))).toEqual([]);
    expect(
      ownedRules(await iptablesSave(), [
        c.containerId,
        `${ep.ipAddress}:`,
        `${ep.ipAddress}/`,
      ]).rules.join('\n'),
    ).toEqual('');
    const left = (await run('nsenter', [`--net=${c.netnsPath}`, 'ip', '-o', 'link'])).stdout;
    expect(left).not.toContain('eth0');
    await m.removeSandbox(c.containerId);
  });

  it('supports none, host and container:<other> modes', async () => {
    const none = await m.createSandbox(cid('none'), { mode: 'none' });
    const lo = (await run('nsenter', [`--net=${none.netnsPath}`, 'ip', '-o', 'link'])).stdout
      .trim()
      .split('\n');
    expect(lo).toHaveLength(1);
    expect(lo[0]).toMatch(/lo: <LOOPBACK,UP/);
    await expect(m.connect(none.containerId, 'bridge')).rejects.toMatchObject({ statusCode: 400 });

    const host = await m.createSandbox(cid('host'), { mode: 'host' });
    expect(host.netnsPath).toBeNull();
    const shared = await m.createSandbox(cid('shared'), {
      mode: 'container',
      container: none.containerId,
    });
    expect(shared.netnsPath).toBe(none.netnsPath);

    await m.removeSandbox(shared.containerId);
    expect(await readdir(opts.netnsDir!)).toEqual([none.containerId]);
    await m.removeSandbox(host.containerId);
    await m.removeSandbox(none.containerId);
    expect(await readdir(opts.netnsDir!)).toEqual([]);
  });

  it('measures sandbox create + connect to bridge + disconnect + remove', async () => {
    const rounds = 5;
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const s = await m.createSandbox(cid(`bench${i}`));
      await m.connect(s.containerId, 'bridge');
      await m.disconnect(s.containerId, 'bridge');
      await m.removeSandbox(s.containerId);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    console.log(
      `sandbox create+connect+disconnect+remove: median ${times[rounds >> 1]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms`,
    );
    // A budget, not a benchmark: six plugin runs and one helper spawn per round.
    expect(times[rounds >> 1]).toBeLessThan(3000);
    expect(await readdir(opts.netnsDir!)).toEqual([]);
  });
});
