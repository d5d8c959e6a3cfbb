import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterHostResolvConf, renderEmbeddedResolvConf, renderHosts } from '../src/files';
import { splitRule } from '../src/iptables';
import { formatIPv4, parseCidr, parseIPv4 } from '../src/ip';
import { readLeases } from '../src/leases';
import { allocatePorts, validatePorts } from '../src/ports';
import { JsonDir } from '../src/store/json-dir';
import { ipamRange, planFromPool, planFromUser } from '../src/subnets';

describe('IPv4 and subnets', () => {
  it('parses and formats', () => {
    expect(formatIPv4(parseIPv4('198.18.255.1'))).toBe('198.18.255.1');
    expect(parseCidr('198.18.0.0/15')).toMatchObject({ prefix: 15 });
    expect(() => parseCidr('198.18.0.1/24')).toThrow(/host bits set/);
    expect(() => parseCidr('198.18.0.0/33')).toThrow(/invalid CIDR/);
    expect(() => parseIPv4('198.18.0.256')).toThrow(/invalid IPv4/);
  });

  it('takes the next free /24 of the pool', () => {
    const used = [parseCidr('198.18.0.0/24'), parseCidr('198.18.2.0/23')];
    expect(planFromPool({ base: '198.18.0.0/15', size: 24 }, used)).toEqual({
      subnet: '198.18.1.0/24',
      gateway: '198.18.1.1',
    });
    const full = [parseCidr('198.18.0.0/15')];
    expect(() => planFromPool({ base: '198.18.0.0/15', size: 24 }, full)).toThrow(
      /could not find an available/,
    );
  });

  it('checks a user subnet, gateway and ip-range as Docker does', () => {
    expect(
      planFromUser(
        { subnet: '198.19.0.0/16', gateway: '198.19.0.254', ipRange: '198.19.5.0/24' },
        [],
      ),
    ).toEqual({
      subnet: '198.19.0.0/16',
      gateway: '198.19.0.254',
      ipRange: '198.19.5.0/24',
    });
    expect(() => planFromUser({ subnet: '198.18.0.0/16' }, [parseCidr('198.18.3.0/24')])).toThrow(
      expect.objectContaining({ statusCode: 403, message: expect.stringMatching(/Pool overlaps/) }),
    );
    expect(() => planFromUser({ subnet: '198.19.1.0/24', gateway: '198.19.2.1' }, [])).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
    expect(() => planFromUser({ subnet: '198.19.1.0/24', ipRange: '198.19.0.0/23' }, [])).toThrow(
      /no matching subnet for range/,
    );
  });

  it('turns --ip-range into host-local rangeStart/rangeEnd', () => {
    expect(
      ipamRange({ subnet: '198.19.1.0/24', gateway: '198.19.1.1', ipRange: '198.19.1.128/25' }),
    ).toEqual({
      subnet: '198.19.1.0/24',
      gateway: '198.19.1.1',
      rangeStart: '198.19.1.128',
      rangeEnd: '198.19.1.254',
    });
  });
});

describe('published ports', () => {
  it('rejects invalid ports and ports already published, with Docker’s message', async () => {
    expect(() => validatePorts([{ containerPort: 0, hostPort: 1, protocol: 'tcp' }])).toThrow(
      /containerPort/,
    );
    expect(() =>
      validatePorts([{ containerPort: 80, hostPort: 1, protocol: 'sctp' as 'tcp' }]),
    ).toThrow(/proto/);
    const inUse = [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' as const }];
    await expect(
      allocatePorts([{ containerPort: 81, hostPort: 8080, protocol: 'tcp' }], inUse),
    ).rejects.toThrow('Bind for 0.0.0.0:8080 failed: port is already allocated');
    // Same number, other protocol: fine.
    await expect(
      allocatePorts([{ containerPort: 81, hostPort: 8080, protocol: 'udp' }], inUse),
    ).resolves.toHaveLength(1);
  });

  it('picks distinct free ephemeral ports and skips ports a host process holds', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '0.0.0.0', r));
    const held = (holder.address() as { port: number }).port;
    const wanted = Array.from({ length: 20 }, () => ({
      containerPort: 80,
      hostPort: 0,
      protocol: 'tcp' as const,
    }));
    const got = (await allocatePorts(wanted, [])).map((p) => p.hostPort);
    holder.close();
    expect(new Set(got).size).toBe(20);
    expect(got).not.toContain(held);
    expect(got.every((p) => p >= 1024)).toBe(true);
  });
});

describe('JsonDir store', () => {
  it('writes atomically, lists, removes leftovers of interrupted writes, and validates keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-store-'));
    const store = new JsonDir<{ n: number }>(dir);
    await store.put('a', { n: 1 });
    await store.put('a', { n: 2 });
    await writeFile(join(dir, '.b.1234.tmp'), '{"n":');
    expect(await store.list()).toEqual([{ n: 2 }]);
    expect(await readdir(dir)).toEqual(['a.json']);
    await expect(store.put('../x', { n: 3 })).rejects.toThrow(/invalid store key/);
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    await rm(dir, { recursive: true });
  });
});

describe('host-local leases', () => {
  it('reads container and interface from lease files, ignoring bookkeeping files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-ipam-'));
    await writeFile(join(dir, 'x'), '');
    await rm(join(dir, 'x'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'net1'));
    await writeFile(join(dir, 'net1', '198.18.0.2'), 'c1\r\neth1');
    await writeFile(join(dir, 'net1', 'last_reserved_ip.0'), '198.18.0.2');
    await writeFile(join(dir, 'net1', 'lock'), '');
    expect(await readLeases(dir)).toEqual([
      { network: 'net1', ip: '198.18.0.2', containerId: 'c1', ifName: 'eth1' },
    ]);
    expect(await readLeases(join(dir, 'absent'))).toEqual([]);
    await rm(dir, { recursive: true });
  });
});

describe('iptables-save rules', () => {
  it('splits quoted comments with escaped quotes', () => {
    expect(
      splitRule(
        'POSTROUTING -s 198.18.0.2/32 -m comment --comment "name: \\"n\\" id: \\"c\\"" -j CNI-abc',
      ),
    ).toEqual([
      'POSTROUTING',
      '-s',
      '198.18.0.2/32',
      '-m',
      'comment',
      '--comment',
      'name: "n" id: "c"',
      '-j',
      'CNI-abc',
    ]);
  });
});

describe('resolv.conf and hosts', () => {
  it('drops loopback nameservers and points at the embedded server', () => {
    const host =
      'search corp.example\nnameserver 127.0.0.53\nnameserver 198.18.5.5\noptions edns0\n';
    expect(filterHostResolvConf(host)).toBe(
      'search corp.example\nnameserver 198.18.5.5\noptions edns0\n',
    );
    expect(renderEmbeddedResolvConf('198.18.1.1', host)).toBe(
      'nameserver 198.18.1.1\nsearch corp.example\noptions ndots:0\n',
    );
  });

  it('writes localhost lines and the container’s own address', () => {
    const hosts = renderHosts([{ ip: '198.18.0.2', names: ['abc123'] }]);
    expect(hosts.split('\n')[0]).toBe('127.0.0.1\tlocalhost');
    expect(hosts).toMatch(/\n198\.18\.0\.2\tabc123\n$/);
  });
});
