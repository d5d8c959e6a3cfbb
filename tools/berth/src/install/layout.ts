// What `berth install` installs, found in the checkout it runs from: every executable that a
// service or tool bundles (package.json "bin" → dist/*.mjs) and the unit files in tools/systemd.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Executable {
  /** Installed as <prefix>/bin/<name>. */
  name: string;
  /** The bundle in the checkout, or the native front that stands in for it. */
  bundle: string;
}

export interface SourceLayout {
  root: string;
  executables: Executable[];
  /** Unit file name → its text. */
  units: Map<string, string>;
}

const UNIT_SUFFIXES = ['.service', '.socket', '.target'];
const PACKAGE_DIRS = ['services', 'tools'];

/** The checkout this code runs from: the nearest ancestor holding tools/systemd. */
export function findCheckout(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(realpathSync(from));
  for (;;) {
    if (existsSync(join(dir, 'tools', 'systemd'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no berth checkout (with tools/systemd) above ${from}`);
    dir = parent;
  }
}

interface PackageManifest {
  bin?: Record<string, string>;
  berth?: { native?: Record<string, string> };
}

export function readLayout(root: string): SourceLayout {
  const executables: Executable[] = [];
  for (const group of PACKAGE_DIRS) {
    for (const pkg of readdirSync(join(root, group)).sort()) {
      const manifest = join(root, group, pkg, 'package.json');
      if (!existsSync(manifest)) continue;
      const { bin, berth } = JSON.parse(readFileSync(manifest, 'utf8')) as PackageManifest;
      for (const [name, file] of Object.entries(bin ?? {})) {
        // A built native front (the shim's start/delete without Node) stands in for the bundle.
        const front = berth?.native?.[name];
        const bundle = join(root, group, pkg, file);
        const native = front && join(root, group, pkg, front);
        executables.push({ name, bundle: native && existsSync(native) ? native : bundle });
      }
    }
  }
  const unitDir = join(root, 'tools', 'systemd');
  const units = new Map<string, string>();
  for (const file of readdirSync(unitDir).sort()) {
    if (UNIT_SUFFIXES.some((s) => file.endsWith(s)))
      units.set(file, readFileSync(join(unitDir, file), 'utf8'));
  }
  return { root, executables, units };
}

/** The unit text with its executables under `<prefix>/bin` instead of /usr/local/bin. */
export function unitForPrefix(text: string, prefix: string): string {
  const bin = join(prefix, 'bin');
  return text.replace(/^(Exec\w+=-?)\/usr\/local\/bin\//gm, `$1${bin}/`);
}
