import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Bundle {
  /** The simulated stack: `node <stack>` records one container start. */
  stack: string;
  /** The berth CLI, built the way scripts/bundle.mjs builds it. */
  berth: string;
  remove(): Promise<void>;
}

const PACKAGE = resolve(import.meta.dirname, '..', '..');

/** Bundles the fixture and the CLI like shipped executables (esbuild, ESM, code splitting). */
export async function bundle(): Promise<Bundle> {
  const outdir = await mkdtemp(join(tmpdir(), 'berth-trace-bundle-'));
  await build({
    entryPoints: {
      stack: join(import.meta.dirname, 'stack-hop.ts'),
      berth: join(PACKAGE, 'src', 'bin', 'berth.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
    },
  });
  return {
    stack: join(outdir, 'stack.mjs'),
    berth: join(outdir, 'berth.mjs'),
    remove: () => rm(outdir, { recursive: true, force: true }),
  };
}
