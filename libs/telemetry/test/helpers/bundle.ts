import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Bundle {
  /** Path of the bundled executable built from test/fixtures/<name>.ts. */
  path(name: string): string;
  remove(): Promise<void>;
}

/**
 * Bundles fixture programs the way scripts/bundle.mjs bundles service executables (esbuild,
 * ESM, code splitting), so child processes run exactly what a shipped service would.
 */
export async function bundleFixtures(names: string[]): Promise<Bundle> {
  const outdir = await mkdtemp(join(tmpdir(), 'berth-telemetry-bundle-'));
  await build({
    entryPoints: Object.fromEntries(
      names.map((n) => [n, join(import.meta.dirname, '..', 'fixtures', `${n}.ts`)]),
    ),
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
    path: (name) => join(outdir, `${name}.mjs`),
    remove: () => rm(outdir, { recursive: true, force: true }),
  };
}
