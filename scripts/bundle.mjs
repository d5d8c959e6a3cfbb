// Bundles a package's executables with esbuild: `node scripts/bundle.mjs <packageRoot>`.
// Each entry of the package.json "bin" map ("name": "dist/name.mjs") is built from
// src/bin/<name>.ts. Output is ESM with code splitting, so modules that a command loads
// lazily (the OpenTelemetry SDK, gRPC) stay in their own chunks, off the start path.
import { build } from 'esbuild';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const names = Object.keys(pkg.bin ?? {});
if (names.length === 0) throw new Error(`${root}: package.json has no "bin" map`);

// Native addons and packages that locate files relative to their own install stay external.
const external = ['better-sqlite3', 'koffi', 'bcrypt', 'cpu-features', 'ssh2'];

// Built beside dist/ and moved in file by file (chunks first, entries last), so a test or
// daemon that starts an executable while another process rebuilds it never finds it missing.
const dist = join(root, 'dist');
await mkdir(dist, { recursive: true });
const staging = await mkdtemp(join(root, '.dist-'));
await build({
  entryPoints: Object.fromEntries(names.map((n) => [n, join(root, 'src', 'bin', `${n}.ts`)])),
  outdir: staging,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
  banner: {
    // CommonJS dependencies inside an ESM bundle still call require() for builtins.
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
});
// NODE_EXTRA_CA_CERTS makes Node read a CA bundle at start-up (about 50 ms here). Short-lived
// executables never speak TLS, so they drop it; daemons (package.json "berth": {"daemons": [...]})
// keep it because they pull from registries over HTTPS.
// Node flags an executable always runs with: package.json "berth": {"nodeFlags": {NAME: [...]}}.
const daemons = new Set(pkg.berth?.daemons ?? []);
for (const n of names) {
  const out = join(staging, `${n}.mjs`);
  const node = ['node', ...(pkg.berth?.nodeFlags?.[n] ?? [])].join(' ');
  const shebang = daemons.has(n)
    ? `#!/usr/bin/env -S ${node}`
    : `#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS ${node}`;
  await writeFile(out, `${shebang}\n${await readFile(out, 'utf8')}`);
  await chmod(out, 0o755);
}
const entries = new Set(names.map((n) => `${n}.mjs`));
const built = await readdir(staging);
for (const f of [...built.filter((f) => !entries.has(f)), ...entries])
  await rename(join(staging, f), join(dist, f));
await rm(staging, { recursive: true, force: true });
for (const f of await readdir(dist))
  if (!built.includes(f)) await rm(join(dist, f), { recursive: true, force: true });
