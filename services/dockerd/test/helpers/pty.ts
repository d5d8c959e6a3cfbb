// A docker CLI command on a real pseudo-terminal (script(1)), driven keystroke by keystroke:
// the CLI sees a TTY, puts it in raw mode, and so passes control keys such as Ctrl-P through.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { CLI } from './docker-cli';

export interface PtySession {
  /** Everything the terminal showed so far. */
  output(): string;
  /** Sends keystrokes, as typed. */
  type(keys: string | Buffer): void;
  /** Waits until the terminal has shown text matching `pattern`. */
  waitFor(pattern: RegExp, timeout?: number): Promise<void>;
  /** The CLI's exit code (script -e passes it on). */
  exited: Promise<number>;
  kill(): void;
}

export function dockerOnPty(host: string, args: string[], cli = CLI): PtySession {
  const command = [cli, '-H', host, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  child.stdout.on('data', (c: Buffer) => (shown += c.toString()));
  child.stderr.on('data', (c: Buffer) => (shown += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return {
    output: () => shown,
    type: (keys) => child.stdin.write(keys),
    waitFor: (pattern, timeout = 10_000) =>
      expect
        .poll(() => shown, { timeout, interval: 50 })
        .toMatch(pattern)
        .then(() => undefined),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}
