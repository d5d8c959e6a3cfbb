// The Engine API shapes of container networking, without a kernel: port specs, settings,
// hosts/resolv.conf additions, daemon flags and network list filters.
import type { NetworkManager, NetworkResource } from '@berth/network';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors';
import { parseFilters } from '../src/api/filters';
import { matchesNetwork } from '../src/api/routes/networks';
import type { ContainerRecord, HostConfig } from '../src/containers/record';
import { ContainerNetworking } from '../src/network/container-network';
import { withDnsOverrides, withExtraHosts } from '../src/network/etc-files';
import { portMap, portSummary, requestedPorts, type PortMap } from '../src/network/ports';
import {
  clearedSettings,
  liveEndpoint,
  networkSettingsView,
  requestedEndpoint,
} from '../src/network/settings';
import { parseAddressPool, parseBip } from '../src/network/setup';

describe('published ports', () => {
  it('reads PortBindings, and -P publishes exposed ports without a binding on free ports', () => {
    const ports = requestedPorts(
      {
        '80/tcp': [
          { HostIp: '', HostPort: '8080' },
          { HostIp: '127.0.0.1', HostPort: '' },
          { HostIp: '::', HostPort: '8080' },
        ],
        '53/udp': [{ HostIp: '', HostPort: '5353' }],
      },
      { '80/tcp': {}, '443': {} },
      true,
    );
    expect(ports).toEqual([
      { containerPort: 80, protocol: 'tcp', hostPort: 8080 },
      { containerPort: 80, protocol: 'tcp', hostPort: 0, hostIP: '127.0.0.1' },
      { containerPort: 53, protocol: 'udp', hostPort: 5353 },
      { containerPort: 443, protocol: 'tcp', hostPort: 0 },
    ]);
    expect(requestedPorts(null, { '443/tcp': {} }, false)).toEqual([]);
  });

  it('refuses bad specs with a 400', () => {
    const bad: PortMap[] = [
      { 'x/tcp': [] },
      { '80/sctp': [] },
      { '0/tcp': [] },
      { '80/tcp': [{ HostIp: '', HostPort: '70000' }] },
      { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] },
    ];
    for (const bindings of bad) {
      const err = (() => {
        try {
          requestedPorts(bindings, null, false);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).statusCode).toBe(400);
    }
  });

  it('maps exposed ports to null until published, and lists them for ps', () => {
    const map = portMap({ '80/tcp': {}, '9000/udp': {} }, [
      { containerPort: 80, protocol: 'tcp', hostPort: 32768 },
      { containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIP: '127.0.0.1' },
    ]);
    expect(map).toEqual({
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: '32768' },
        { HostIp: '127.0.0.1', HostPort: '8080' },
      ],
      '9000/udp': null,
    });
    expect(portSummary(map)).toEqual([
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 32768, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 9000, Type: 'udp' },
    ]);
  });
});

describe('network settings', () => {
  const info = {
    networkId: 'n1',
    networkName: 'bridge',
    endpointId: 'e1',
    ifName: 'eth0',
    ipAddress: '198.18.0.2',
    prefixLen: 24,
    gateway: '198.18.0.1',
    macAddress: '02:42:c6:12:00:02',
    aliases: [],
    ports: [],
  };

  it('shows the default bridge in the top-level fields, and clears live fields at stop', () => {
    const requested = requestedEndpoint('n1', { IPAMConfig: { IPv4Address: '' }, Aliases: [] });
    expect(requested).toMatchObject({ IPAMConfig: null, Aliases: null, IPAddress: '' });
    const settings = {
      SandboxID: 'c1',
      SandboxKey: '/run/netns/c1',
      Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] },
      Networks: { bridge: liveEndpoint(requested, info, null) },
    };
    expect(networkSettingsView(settings)).toMatchObject({
      IPAddress: '198.18.0.2',
      Gateway: '198.18.0.1',
      MacAddress: '02:42:c6:12:00:02',
      EndpointID: 'e1',
      SandboxKey: '/run/netns/c1',
    });
    const cleared = clearedSettings(settings);
    expect(cleared.Ports).toEqual({});
    expect(cleared.Networks.bridge).toMatchObject({
      NetworkID: 'n1',
      IPAddress: '',
      EndpointID: '',
    });
    const userNet = {
      SandboxID: 'c1',
      SandboxKey: '',
      Ports: {},
      Networks: { app: settings.Networks.bridge },
    };
    expect(networkSettingsView(userNet).IPAddress).toBe('');
  });
});

describe('hosts and resolv.conf', () => {
  it('appends --add-host entries, host-gateway as the gateway', () => {
    expect(withExtraHosts('base\n', ['a.test:198.19.0.9', 'gw=host-gateway'], '198.18.0.1')).toBe(
      'base\n198.19.0.9\ta.test\n198.18.0.1\tgw\n',
    );
    expect(() => withExtraHosts('', ['nothing'], '')).toThrow(ApiError);
    expect(() => withExtraHosts('', ['gw:host-gateway'], '')).toThrow(/host-gateway/);
  });

  it('replaces nameservers with --dns unless the embedded server answers', () => {
    const host = 'nameserver 192.0.2.1\nsearch example\noptions ndots:1\n';
    const o = { Dns: ['198.19.0.53'], DnsSearch: ['corp'], DnsOptions: ['ndots:2'] };
    expect(withDnsOverrides(host, o, false)).toBe(
      'nameserver 198.19.0.53\nsearch corp\noptions ndots:2\n',
    );
    expect(withDnsOverrides(host, { Dns: ['198.19.0.53'] }, true)).toBe(host);
  });
});

describe('daemon flags and network filters', () => {
  it('reads --bip and --default-address-pool', () => {
    expect(parseBip('198.19.255.1/24')).toEqual({
      subnet: '198.19.255.0/24',
      gateway: '198.19.255.1',
    });
    expect(parseBip('198.18.1.129/25')).toEqual({
      subnet: '198.18.1.128/25',
      gateway: '198.18.1.129',
    });
    expect(() => parseBip('198.18.0.1')).toThrow(/--bip/);
    expect(parseAddressPool('base=198.18.0.0/15,size=24')).toEqual({
      base: '198.18.0.0/15',
      size: 24,
    });
    expect(() => parseAddressPool('base=198.18.0.0/15')).toThrow(/pool/);
  });

  it('filters networks by name, id, driver, type, dangling and label', () => {
    const net = (Name: string, Id: string, containers: number, Labels = {}) =>
      ({
        Name,
        Id,
        Driver: Name === 'host' ? 'host' : 'bridge',
        Scope: 'local',
        Labels,
        Containers: Object.fromEntries([...Array(containers).keys()].map((i) => [`c${i}`, {}])),
      }) as unknown as NetworkResource;
    const nets = [
      net('bridge', 'aa11', 1),
      net('host', 'bb22', 0),
      net('app', 'cc33', 0, { k: 'v' }),
    ];
    const pick = (filters: object) =>
      nets
        .filter((n) =>
          matchesNetwork(
            parseFilters(JSON.stringify(filters), [
              'dangling',
              'driver',
              'id',
              'label',
              'name',
              'scope',
              'type',
            ]),
            n,
          ),
        )
        .map((n) => n.Name);
    expect(pick({ name: { ap: true } })).toEqual(['app']);
    expect(pick({ id: { bb: true } })).toEqual(['host']);
    expect(pick({ driver: { bridge: true } })).toEqual(['bridge', 'app']);
    expect(pick({ type: { custom: true } })).toEqual(['app']);
    expect(pick({ type: { builtin: true } })).toEqual(['bridge', 'host']);
    expect(pick({ dangling: { true: true } })).toEqual(['app']);
    expect(pick({ label: { 'k=v': true } })).toEqual(['app']);
    expect(() => pick({ type: { other: true } })).toThrow(/invalid filter/);
  });
});

describe('network plan at create', () => {
  const nets: Record<string, Partial<NetworkResource>> = {
    bridge: { Name: 'bridge', Id: 'b1', Driver: 'bridge' },
    host: { Name: 'host', Id: 'h1', Driver: 'host' },
    none: { Name: 'none', Id: 'n1', Driver: 'null' },
    app: { Name: 'app', Id: 'a1', Driver: 'bridge' },
  };
  const manager = {
    inspect: async (ref: string) => {
      const net = nets[ref] ?? Object.values(nets).find((n) => n.Id === ref);
      if (!net) throw new ApiError(404, `network ${ref} not found`);
      return net as NetworkResource;
    },
  } as unknown as NetworkManager;
  const networking = new ContainerNetworking({
    manager,
    netnsDir: '/run/test/netns',
    containerDir: (id) => `/data/${id}`,
    saveRecord: () => undefined,
    logger: pino({ level: 'silent' }),
  });
  const peers: Record<string, ContainerRecord> = {
    web: { Id: 'w'.repeat(64), HostConfig: { NetworkMode: 'default' } } as ContainerRecord,
    side: {
      Id: 's'.repeat(64),
      HostConfig: { NetworkMode: `container:${'w'.repeat(64)}` },
    } as ContainerRecord,
  };
  const lookup = (ref: string) => {
    const record = peers[ref] ?? Object.values(peers).find((p) => p.Id === ref);
    if (!record) throw new ApiError(404, `No such container: ${ref}`);
    return { record, running: true };
  };
  const plan = (host: HostConfig, endpoints = {}, config = {}) =>
    networking.plan('c'.repeat(64), config, host, endpoints, lookup);

  it('names the namespace the spec joins: its own, none of the host, or the peer', async () => {
    const own = await plan({ NetworkMode: 'app' }, { app: { Aliases: ['db'] }, bridge: {} });
    expect(own.netnsPath).toBe(`/run/test/netns/${'c'.repeat(64)}`);
    expect(Object.keys(own.settings.Networks)).toEqual(['app', 'bridge']);
    expect(own.settings.Networks.app).toMatchObject({ NetworkID: 'a1', Aliases: ['db'] });
    expect((await plan({ NetworkMode: 'none' })).netnsPath).toMatch(/netns\/c+$/);
    expect((await plan({ NetworkMode: 'host' })).netnsPath).toBeNull();
    const shared = await plan({ NetworkMode: 'container:side' });
    expect(shared.mode).toBe(`container:${'s'.repeat(64)}`);
    expect(shared.netnsPath).toBe(`/run/test/netns/${'w'.repeat(64)}`);
    expect(shared.settings.Networks).toEqual({});
  });

  it('refuses what Docker refuses, before anything exists', async () => {
    await expect(plan({ NetworkMode: 'nope' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(plan({ NetworkMode: 'container:gone' })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(plan({ NetworkMode: 'container:web' }, {}, { Hostname: 'x' })).rejects.toThrow(
      'conflicting options: hostname and the network mode',
    );
    await expect(
      plan({ NetworkMode: 'container:web', PortBindings: { '80/tcp': [] } }),
    ).rejects.toThrow('conflicting options: port publishing and the container type network mode');
    await expect(plan({ NetworkMode: 'app' }, { host: {} })).rejects.toThrow(/exclusive/);
    await expect(
      plan({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: 'x' }] } }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
