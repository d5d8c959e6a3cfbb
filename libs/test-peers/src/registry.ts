// Registries as child processes on free loopback ports over temporary roots, stopped by pid:
// berth-registry (bundled once under a lock; a lib may not import a service) and Debian's
// docker-registry (upstream distribution).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';

const registryPkg = resolve(import.meta.dirname, '../../../services/registry');
const BIN = join(registryPkg, 'dist/berth-registry.mjs');

export function buildRegistry(): void {
  const stale = `[ ! -e ${BIN} ] || [ -n "$(find src ../../libs/*/src -newer ${BIN} | head -1)" ]`;
  execFileSync(
    'flock',
    [
      join(tmpdir(), 'berth-registry-build.lock'),
      'sh',
      '-c',
      `if ${stale}; then node ../../scripts/bundle.mjs .; fi`,
    ],
    { cwd: registryPkg },
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

export interface RunningRegistry {
  host: string;
  dir: string;
  stop(): Promise<void>;
}

export interface RegistryFlags {
  users?: Record<string, string>;
  token?: boolean;
  tls?: { cert: string; key: string };
}

/**
 * Debian's docker-registry (upstream distribution 2.8) with a generated config: the real peer.
 * Its htpasswd wants bcrypt's $2y$ spelling.
 */
export async function startUpstreamRegistry(
  flags: Pick<RegistryFlags, 'users'> = {},
): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-distribution-upstream-'));
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log: { level: error }',
    `storage: { filesystem: { rootdirectory: ${join(dir, 'root')} }, delete: { enabled: true } }`,
    `http: { addr: "127.0.0.1:${port}" }`,
  ];
  if (flags.users) {
    const lines = Object.entries(flags.users).map(
      ([u, p]) => `${u}:${bcrypt.hashSync(p, 4).replace(/^\$2b\$/, '$2y$')}`,
    );
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    config.push(`auth: { htpasswd: { realm: test, path: ${join(dir, 'htpasswd')} } }`);
  }
  await writeFile(join(dir, 'config.yml'), `${config.join('\n')}\n`);
  return runChild(['/usr/bin/docker-registry', 'serve', join(dir, 'config.yml')], port, dir);
}

export async function startBerthRegistry(flags: RegistryFlags = {}): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-distribution-registry-'));
  const port = await freePort();
  const args = ['--root', join(dir, 'root'), '--addr', `127.0.0.1:${port}`, '--log-level', 'warn'];
  if (flags.users) {
    const lines = Object.entries(flags.users).map(([u, p]) => `${u}:${bcrypt.hashSync(p, 4)}`);
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    args.push('--htpasswd', join(dir, 'htpasswd'));
  }
  if (flags.token) args.push('--token-auth');
  if (flags.tls) args.push('--tls-cert', flags.tls.cert, '--tls-key', flags.tls.key);
  return runChild([process.execPath, BIN, ...args], port, dir);
}

async function runChild(command: string[], port: number, dir: string): Promise<RunningRegistry> {
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await waitForPort(port, exited);
  return {
    host: `127.0.0.1:${port}`,
    dir,
    async stop() {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    const open = await new Promise<boolean>((done) => {
      const socket = createConnection(port);
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`berth-registry did not listen on ${port}`);
}

/** A self-signed certificate for 127.0.0.1 (openssl), as its own CA. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}
