// The real docker CLI against a test daemon's socket, and what a kernel test asks of the host.
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const CLI = '/usr/local/bin/docker';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `binary` is the CLI to run: 28.2 unless a test asks for Debian's 20.10. */
export function dockerCli(host: string, binary = CLI) {
  const docker = async (args: string[], input = ''): Promise<CliResult> => {
    const child = spawn(binary, ['-H', host, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(input);
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, stdout, stderr };
  };
  const ok = async (args: string[], input?: string): Promise<string> => {
    const res = await docker(args, input);
    if (res.code !== 0)
      throw new Error(`docker ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
    return res.stdout;
  };
  return { docker, ok };
}

/** Our own cgroup (memory hierarchy): container cgroups are created only below it. */
export function ownCgroup(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1] === 'memory');
  return line?.split(':')[2] ?? '/';
}

/** A port nothing listens on right now (the kernel's pick). */
export function freePort(protocol: 'tcp' | 'udp'): Promise<number> {
  return new Promise((resolve, reject) => {
    if (protocol === 'tcp') {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    } else {
      const sock = createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => {
        const { port } = sock.address();
        sock.close(() => resolve(port));
      });
    }
  });
}

/** One datagram to host:port; resolves with the first answer. */
export async function udpRequest(host: string, port: number, text: string): Promise<string> {
  const sock = createSocket('udp4');
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('udp timeout')), 3000);
      sock.once('message', (m) => {
        clearTimeout(timer);
        resolve(m.toString());
      });
      sock.send(text, port, host);
    });
  } finally {
    sock.close();
  }
}

/** Host network interfaces enslaved to a bridge (the host ends of container veths). */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const { stdout } = await run('ip', ['-o', 'link', 'show', 'master', bridge]).catch(() => ({
    stdout: '',
  }));
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':')[1]!.trim().split('@')[0]!);
}

export async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}

export async function iptablesMentions(text: string): Promise<string[]> {
  const lines: string[] = [];
  for (const table of ['nat', 'filter']) {
    const { stdout } = await run('iptables-save', ['-t', table]);
    lines.push(...stdout.split('\n').filter((l) => l.includes(text)));
  }
  return lines;
}
