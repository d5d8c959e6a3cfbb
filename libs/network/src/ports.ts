// Published ports: validation, conflicts with ports other endpoints already publish, and a
// free host port from the kernel's ephemeral range when none is asked for (-P, or -p 80).
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { invalidParameter, NetworkError } from './errors';
import type { PortBinding } from './store/records';

export function validatePorts(ports: PortBinding[]): void {
  for (const p of ports) {
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535)
      throw invalidParameter(`invalid containerPort: ${p.containerPort}`);
    if (!Number.isInteger(p.hostPort) || p.hostPort < 0 || p.hostPort > 65535)
      throw invalidParameter(`invalid hostPort: ${p.hostPort}`);
    if (p.protocol !== 'tcp' && p.protocol !== 'udp')
      throw invalidParameter(`invalid proto: ${String(p.protocol)}`);
  }
}

const key = (p: { protocol: string; hostPort: number }) => `${p.protocol}/${p.hostPort}`;

/** Resolves host port 0 to free ports; throws Docker's error for a port already published. */
export async function allocatePorts(
  wanted: PortBinding[],
  inUse: PortBinding[],
): Promise<PortBinding[]> {
  const taken = new Set(inUse.map(key));
  const out: PortBinding[] = [];
  for (const p of wanted) {
    if (p.hostPort !== 0) {
      if (taken.has(key(p))) {
        throw new NetworkError(
          500,
          `Bind for ${p.hostIP || '0.0.0.0'}:${p.hostPort} failed: port is already allocated`,
        );
      }
      taken.add(key(p));
      out.push(p);
      continue;
    }
    const hostPort = await freePort(p.protocol, taken);
    taken.add(key({ protocol: p.protocol, hostPort }));
    out.push({ ...p, hostPort });
  }
  return out;
}

async function ephemeralRange(): Promise<[number, number]> {
  try {
    const [lo, hi] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    if (lo && hi && lo <= hi) return [lo, hi];
  } catch {
    // fall through to the kernel's default
  }
  return [32768, 60999];
}

async function freePort(protocol: 'tcp' | 'udp', taken: Set<string>): Promise<number> {
  const [lo, hi] = await ephemeralRange();
  const span = hi - lo + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = lo + ((start + i) % span);
    if (taken.has(`${protocol}/${port}`)) continue;
    // A host process listening there would be shadowed by the DNAT rule: skip such ports.
    if (await canBind(protocol, port)) return port;
  }
  throw new NetworkError(500, `no free ${protocol} host port in ${lo}-${hi}`);
}

function canBind(protocol: 'tcp' | 'udp', port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'tcp') {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    } else {
      const sock = createSocket('udp4');
      sock.once('error', () => {
        sock.close();
        resolve(false);
      });
      sock.bind(port, '0.0.0.0', () => sock.close(() => resolve(true)));
    }
  });
}
