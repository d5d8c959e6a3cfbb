// Running an upstream program for a test: private directories, output captured for the
// failure message, readiness polled, and stopped by the pid we started (never by name).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export interface PeerProcess {
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function startPeer(command: string, args: string[], env?: NodeJS.ProcessEnv): PeerProcess {
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return {
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once a unix socket accepts connections; rejects with the peer's output on timeout. */
export async function waitForUnixSocket(path: string, peer: PeerProcess, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(path)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} did not accept connections within ${timeoutMs} ms:\n${peer.output()}`);
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}
