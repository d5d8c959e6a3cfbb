// Bundles the shim unless dist/ is newer than every source it is built from. Test files run
// in parallel workers and share dist/, so callers hold a lock (flock) around this: the first
// builds, the others find it fresh and leave it alone while it is in use.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dirname, '../..');
const repo = resolve(pkg, '../..');
const entry = join(pkg, 'dist', 'containerd-shim-berth-v1.mjs');
const sources = [
  join(pkg, 'src'),
  ...['monitor', 'ttrpc', 'proto', 'telemetry'].map((l) => join(repo, 'libs', l, 'src')),
];

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let built = 0;
try {
  built = statSync(entry).mtimeMs;
} catch {
  // never built
}
if (Math.max(...sources.map(newest)) > built) {
  execFileSync(process.execPath, [join(repo, 'scripts', 'bundle.mjs'), pkg], { stdio: 'inherit' });
}
