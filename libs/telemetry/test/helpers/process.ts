import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface Started {
  child: ChildProcess;
  /** The JSON object the program printed as its first stdout line (e.g. its port). */
  hello: Record<string, unknown>;
  stderr(): string;
}

/** Spawns `node script` and waits for the JSON line it prints once it is ready. */
export async function startNode(script: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const first = once(lines, 'line');
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${script} exited with ${code} before it was ready:\n${stderr}`);
  });
  const [line] = (await Promise.race([first, exited])) as [string];
  return { child, hello: JSON.parse(line) as Record<string, unknown>, stderr: () => stderr };
}

/** Sends SIGTERM and waits for a clean exit. */
export async function stop(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`exit code ${code}:\n${started.stderr()}`);
}
