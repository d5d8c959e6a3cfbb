// Hooks the runtime itself runs (prestart, createRuntime, poststart, poststop): each gets the
// container state JSON on stdin; a non-zero exit or a timeout is an error.
// child_process loads lazily: most commands run no hook.
import type { spawn as Spawn } from 'node:child_process';
import type { Hook } from '../spec/types';

export class HookError extends Error {
  override name = 'HookError';
}

function runHook(spawn: typeof Spawn, hook: Hook, state: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const [argv0, ...args] = hook.args?.length ? hook.args : [hook.path];
    const child = spawn(hook.path, args, {
      argv0,
      env: Object.fromEntries(
        (hook.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      ),
      stdio: ['pipe', 'inherit', 'inherit'],
      timeout: hook.timeout ? hook.timeout * 1000 : undefined,
      killSignal: 'SIGKILL',
    });
    child.stdin.on('error', () => {
      /* a hook may exit without reading its stdin */
    });
    child.stdin.end(state);
    child.on('error', (err) => reject(new HookError(`hook ${hook.path}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new HookError(
            signal === 'SIGKILL' && hook.timeout
              ? `hook ${hook.path} timed out after ${hook.timeout}s`
              : `hook ${hook.path} exited with ${signal ?? `status ${code}`}`,
          ),
        );
    });
  });
}

/** Runs the hooks in order, stopping at the first failure. */
export async function runHooks(hooks: Hook[] | undefined, state: object): Promise<void> {
  if (!hooks?.length) return;
  const { spawn } = await import('node:child_process');
  const json = JSON.stringify(state);
  for (const hook of hooks) await runHook(spawn, hook, json);
}
