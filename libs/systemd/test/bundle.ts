// Bundles a TypeScript fixture into a runnable ESM file. koffi stays external: the lib loads
// it with require(), which finds it through NODE_PATH (see fixtureEnv).
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';

export const WORKSPACE_NODE_MODULES = resolve(import.meta.dirname, '../../../node_modules');

export async function bundleFixture(name: string, outDir: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures', `${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['koffi'],
    logLevel: 'error',
  });
  return outfile;
}

export function fixtureEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: WORKSPACE_NODE_MODULES, ...extra };
  for (const k of ['NOTIFY_SOCKET', 'LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

/** Everything a stream yields until it ends. */
export async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}
