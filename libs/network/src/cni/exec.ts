// Runs one CNI plugin binary: the command and attachment in CNI_* environment variables, the
// plugin's configuration as JSON on stdin, its result (or error object) as JSON on stdout.
import { access, constants } from 'node:fs/promises';
import { runCaptured } from '@berth/monitor';
import { join } from 'node:path';
import { CniError } from './errors';
import type { CniErrorBody, RuntimeConf } from './types';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

export interface ExecOptions {
  /** Directories searched for plugin binaries, in order (CNI_PATH). */
  path: string[];
  /** A plugin that has not answered by then is killed and the call fails. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export async function findPlugin(type: string, dirs: string[]): Promise<string> {
  if (!type || type.includes('/') || type === '.' || type === '..')
    throw new CniError(type, 'find', { code: 7, msg: `invalid plugin type "${type}"` });
  for (const dir of dirs) {
    const candidate = join(dir, type);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new CniError(type, 'find', {
    code: 7,
    msg: `failed to find plugin "${type}" in path [${dirs.join(' ')}]`,
  });
}

export function cniArgs(args: Record<string, string> | undefined): string {
  return Object.entries(args ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/** Runs the plugin and returns its parsed stdout (undefined when it printed nothing, as DEL may). */
export async function execPlugin(
  type: string,
  command: CniCommand,
  rt: RuntimeConf,
  config: object,
  opts: ExecOptions,
): Promise<unknown> {
  const binary = await findPlugin(type, opts.path);
  const env = {
    ...process.env,
    CNI_COMMAND: command,
    CNI_CONTAINERID: rt.containerId,
    CNI_NETNS: rt.netns,
    CNI_IFNAME: rt.ifName,
    CNI_ARGS: cniArgs(rt.args),
    CNI_PATH: opts.path.join(':'),
  };
  const { code, stdout, stderr } = await run(binary, env, JSON.stringify(config), opts.timeoutMs);
  const parsed = parseOutput(stdout);
  if (code === 0) return parsed;
  const body = isErrorBody(parsed)
    ? parsed
    : { code: 999, msg: stderr.trim() || stdout.trim() || `exited with status ${code}` };
  throw new CniError(type, command, body);
}

function parseOutput(stdout: string): unknown {
  if (!stdout.trim()) return undefined;
  try {
    return JSON.parse(stdout) as unknown;
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is CniErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CniErrorBody).code === 'number' &&
    typeof (value as CniErrorBody).msg === 'string'
  );
}

/** Through posix_spawn: a fork of the daemon that calls this would stall it for milliseconds. */
async function run(
  binary: string,
  env: NodeJS.ProcessEnv,
  input: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const done = await runCaptured(binary, [], { env, stdin: input, timeoutMs });
  const stderr = done.stderr.toString();
  if (done.timedOut) {
    return { code: 1, stdout: '', stderr: `killed by SIGKILL${stderr ? `: ${stderr}` : ''}` };
  }
  return { code: done.status, stdout: done.stdout.toString(), stderr };
}
