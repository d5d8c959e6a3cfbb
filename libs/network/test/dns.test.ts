import { promises as dnsp } from 'node:dns';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuery } from '../src/dns/answer';
import { resolveName } from '../src/dns/names';
import { DnsServer } from '../src/dns/server';
import type { NetworkRecord, SandboxRecord } from '../src/store/records';

const lookup = (name: string) => (name === 'web' ? ['198.18.1.2', '198.18.1.3'] : undefined);
const rcode = (p: dnsPacket.DecodedPacket) => (p.flags ?? 0) & 0xf;
const datas = (p: dnsPacket.Packet) => (p.answers ?? []).map((a) => (a as { data: unknown }).data);
const query = (name: string, type: 'A' | 'AAAA' = 'A') =>
  dnsPacket.encode({
    type: 'query',
    id: 7,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, class: 'IN', name }],
  });

describe('DNS answers', () => {
  it('answers A records for known names, case-insensitively', () => {
    const reply = dnsPacket.decode(answerQuery(query('WEB.'), '198.18.1.9', lookup)!);
    expect(reply.id).toBe(7);
    expect(rcode(reply)).toBe(0);
    expect(datas(reply)).toEqual(['198.18.1.2', '198.18.1.3']);
  });

  it('SERVFAIL for unknown names, empty NOERROR for other types of known names', () => {
    expect(rcode(dnsPacket.decode(answerQuery(query('example.com'), '', lookup)!))).toBe(2); // SERVFAIL
    const aaaa = dnsPacket.decode(answerQuery(query('web', 'AAAA'), '', lookup)!);
    expect(rcode(aaaa)).toBe(0);
    expect(aaaa.answers).toEqual([]);
  });

  it('drops garbage and responses', () => {
    expect(answerQuery(Buffer.from('nope'), '', lookup)).toBeUndefined();
    const response = dnsPacket.encode({ type: 'response', id: 1, questions: [] });
    expect(answerQuery(response, '', lookup)).toBeUndefined();
  });
});

describe('DNS server over UDP and TCP', () => {
  const server = new DnsServer(lookup);
  let port: number;
  beforeAll(async () => {
    port = await server.listen('127.0.0.1', 0);
  });
  afterAll(() => server.close());

  it('answers a resolver over UDP', async () => {
    const r = new dnsp.Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    expect((await r.resolve4('web')).sort()).toEqual(['198.18.1.2', '198.18.1.3']);
    await expect(r.resolve4('nothing.example')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers length-prefixed queries over TCP, two in one stream', async () => {
    const sock = connect(port, '127.0.0.1');
    const q = dnsPacket.streamEncode({
      type: 'query',
      id: 9,
      questions: [{ type: 'A', class: 'IN', name: 'web' }],
    });
    sock.write(Buffer.concat([q, q]));
    const data = await new Promise<Buffer>((resolve) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const first = buf.readUInt16BE(0) + 2;
        if (buf.length >= first + 2 && buf.length >= first + 2 + buf.readUInt16BE(first))
          resolve(buf);
      });
    });
    sock.destroy();
    const first = dnsPacket.streamDecode(data);
    expect(datas(first).sort()).toEqual(['198.18.1.2', '198.18.1.3']);
  });
});

describe('name scoping', () => {
  const net = (id: string, name: string, dns = true) => ({ id, name, dns }) as NetworkRecord;
  const networks = new Map([
    ['n1', net('n1', 'front')],
    ['n2', net('n2', 'back')],
    ['n0', net('n0', 'bridge', false)],
  ]);
  const sb = (
    containerId: string,
    name: string,
    eps: [string, string, string[]?][],
  ): SandboxRecord =>
    ({
      containerId,
      name,
      mode: 'private',
      netnsPath: '/x',
      endpoints: eps.map(([networkId, ipAddress, aliases]) => ({
        networkId,
        ipAddress,
        aliases: aliases ?? [],
      })),
    }) as SandboxRecord;
  const sandboxes = [
    sb('aaaaaaaaaaaa1111', 'web', [['n1', '198.18.1.2', ['www']]]),
    sb('bbbbbbbbbbbb2222', 'api', [
      ['n1', '198.18.1.3'],
      ['n2', '198.18.2.3'],
    ]),
    sb('cccccccccccc3333', 'db', [['n2', '198.18.2.4']]),
    sb('dddddddddddd4444', 'old', [['n0', '198.18.0.5']]),
  ];
  const table = { networks, sandboxes };

  it('resolves names, aliases, short ids and name.network on shared networks only', () => {
    expect(resolveName(table, 'n1', 'api', '198.18.1.2')).toEqual(['198.18.1.3']);
    expect(resolveName(table, 'n1', 'www', '198.18.1.3')).toEqual(['198.18.1.2']);
    expect(resolveName(table, 'n1', 'aaaaaaaaaaaa', '198.18.1.3')).toEqual(['198.18.1.2']);
    expect(resolveName(table, 'n2', 'api.back', '198.18.2.4')).toEqual(['198.18.2.3']);
    // web is not on `back`, so it cannot see db; api sees both networks.
    expect(resolveName(table, 'n1', 'db', '198.18.1.2')).toBeUndefined();
    expect(resolveName(table, 'n1', 'db', '198.18.1.3')).toEqual(['198.18.2.4']);
    // The default bridge has no DNS.
    expect(resolveName(table, 'n1', 'old', '198.18.1.3')).toBeUndefined();
  });
});
