// A DNS server on one address, over UDP and TCP (length-prefixed messages, RFC 1035 4.2.2),
// answering from a name lookup. berth runs one per user-defined network, on its gateway.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { answerQuery, type NameLookup } from './answer';

const MAX_TCP_MESSAGE = 65535;
const TCP_IDLE_MS = 10_000;

export class DnsServer {
  private udp?: UdpSocket;
  private tcp?: Server;
  private readonly connections = new Set<Socket>();

  constructor(private readonly lookup: NameLookup) {}

  /** Listens on host:port (port 0 picks one); resolves with the port bound. */
  async listen(host: string, port: number): Promise<number> {
    const udp = createSocket({ type: 'udp4', reuseAddr: false });
    udp.on('message', (msg, rinfo) => {
      const reply = answerQuery(msg, rinfo.address, this.lookup);
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    const bound = udp.address().port;
    const tcp = createServer((sock) => this.serveTcp(sock));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(bound, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await this.close();
      throw err;
    }
    this.tcp = tcp;
    return bound;
  }

  private serveTcp(sock: Socket): void {
    let pending = Buffer.alloc(0);
    this.connections.add(sock);
    sock.on('close', () => this.connections.delete(sock));
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) {
          if (pending.length > MAX_TCP_MESSAGE + 2) sock.destroy();
          return;
        }
        const reply = answerQuery(
          pending.subarray(2, 2 + len),
          sock.remoteAddress ?? '',
          this.lookup,
        );
        pending = pending.subarray(2 + len);
        if (!reply) return void sock.destroy();
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(reply.length);
        sock.write(Buffer.concat([prefix, reply]));
      }
    });
  }

  async close(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp) {
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const sock of this.connections) sock.destroy();
      await closed;
    }
  }
}
