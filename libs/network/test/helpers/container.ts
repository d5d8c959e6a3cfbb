// Stand-ins for containers: node processes started inside a namespace with nsenter (tests
// only; berth itself hands the namespace path to the runtime).
import { spawn, type ChildProcess } from 'node:child_process';
import { run } from './host';

const started = new Set<ChildProcess>();

export async function startIn(netnsPath: string, script: string): Promise<ChildProcess> {
  const child = spawn('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.add(child);
  child.on('exit', () => started.delete(child));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.once('data', () => resolve());
  });
  return child;
}

export function stopAll(): void {
  for (const child of started) if (child.pid) process.kill(child.pid, 'SIGKILL');
  started.clear();
}

/** Runs a node script in the namespace and returns its stdout. */
export async function runIn(netnsPath: string, script: string): Promise<string> {
  const { stdout } = await run('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', script], {
    timeout: 10_000,
  });
  return stdout.trim();
}

export const HTTP_SERVER = (text: string) =>
  `require('http').createServer((q, r) => r.end(${JSON.stringify(text)})).listen(80, () => console.log('ready'))`;

/** Answers with the client address it sees (after any NAT on the way). */
export const SOURCE_ECHO = `require('http').createServer((q, r) => r.end(q.socket.remoteAddress.replace('::ffff:', ''))).listen(80, () => console.log('ready'))`;

export const FETCH = (url: string) =>
  `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(3000) }).then(async (r) => console.log(await r.text()), (e) => console.log('ERR ' + e.message))`;

export const UDP_ECHO = (port: number) =>
  `const s = require('dgram').createSocket('udp4');
   s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
   s.bind(${port}, () => console.log('ready'))`;

/** Resolves `name` through the DNS server at `server` and fetches http://<address>/. */
export const RESOLVE_AND_GET = (server: string, name: string) =>
  `const dns = require('dns').promises; const r = new dns.Resolver({ timeout: 2000, tries: 1 });
   r.setServers([${JSON.stringify(server)}]);
   r.resolve4(${JSON.stringify(name)}).then(async ([ip]) => {
     const body = await (await fetch('http://' + ip + '/')).text();
     console.log(ip + ' ' + body);
   }, (e) => console.log('ERR ' + e.code));`;

export async function udpRequest(host: string, port: number, text: string): Promise<string> {
  const dgram = await import('node:dgram');
  const sock = dgram.createSocket('udp4');
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
