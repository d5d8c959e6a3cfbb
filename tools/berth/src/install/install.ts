// `berth install`: links the bundled executables into <prefix>/bin, puts the unit files in
// /etc/systemd/system, makes sure the API socket's group exists, reloads systemd and enables
// the stack. All or nothing: a failure undoes every change made so far.
import { mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import {
  exists,
  isExecutableFile,
  placeFile,
  placeLink,
  removeEmptyDirs,
  type Undo,
} from './files';
import type { InstallHost } from './host';
import { unitForPrefix, type SourceLayout } from './layout';
import {
  MANIFEST_PATH,
  parseManifest,
  sha256,
  type InstalledEntry,
  type Manifest,
} from './manifest';

export const UNIT_DIR = '/etc/systemd/system';
/** The group of the Docker API socket (SocketGroup= in berth-docker.socket). */
export const API_GROUP = 'docker';
// The PATH systemd gives services: where the bundles' `#!/usr/bin/env node` looks for node.
const SYSTEMD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface InstallOptions {
  prefix: string;
  enable: boolean;
  source: SourceLayout;
}

type Log = (line: string) => void;

export function readManifest(host: InstallHost): Manifest | undefined {
  const path = host.path(MANIFEST_PATH);
  if (!exists(path)) return undefined;
  return parseManifest(readFileSync(path, 'utf8'), MANIFEST_PATH);
}

/** Whether `entry` is still exactly what berth put there. */
export function isUnchanged(host: InstallHost, entry: InstalledEntry): boolean {
  const path = host.path(entry.path);
  try {
    return entry.kind === 'link'
      ? readlinkSync(path) === entry.target
      : sha256(readFileSync(path)) === entry.sha256;
  } catch {
    return false;
  }
}

function plannedEntries(opts: InstallOptions): Array<InstalledEntry & { content?: string }> {
  const links = opts.source.executables.map((e) => ({
    kind: 'link' as const,
    path: join(opts.prefix, 'bin', e.name),
    target: e.bundle,
  }));
  const units = [...opts.source.units].map(([name, text]) => {
    const content = unitForPrefix(text, opts.prefix);
    return { kind: 'file' as const, path: join(UNIT_DIR, name), sha256: sha256(content), content };
  });
  return [...links, ...units];
}

/** Checks that install can succeed; returns the paths the previous install owns. */
function preflight(
  opts: InstallOptions,
  host: InstallHost,
  previous: Manifest | undefined,
): Set<string> {
  const unusable = host.unusableReason();
  if (unusable) throw new Error(unusable);
  const missing = opts.source.executables.filter((e) => !isExecutableFile(e.bundle));
  if (missing.length > 0)
    throw new Error(
      `not built: ${missing.map((e) => e.bundle).join(', ')} (run: npx nx run-many -t build)`,
    );
  const searched = [join(opts.prefix, 'bin'), ...SYSTEMD_PATH.split(delimiter)];
  if (!searched.some((d) => isExecutableFile(host.path(join(d, 'node')))))
    throw new Error(`node is not on systemd's PATH (${SYSTEMD_PATH}): the units could not start`);
  const owned = new Set(previous?.entries.map((e) => e.path));
  const conflicts = plannedEntries(opts).filter(
    (e) => exists(host.path(e.path)) && !owned.has(e.path) && !isUnchanged(host, e),
  );
  if (conflicts.length > 0)
    throw new Error(
      `not installed by berth, left alone: ${conflicts.map((e) => e.path).join(', ')}`,
    );
  return owned;
}

export async function install(
  opts: InstallOptions,
  host: InstallHost,
  log: Log,
): Promise<Manifest> {
  const previous = readManifest(host);
  const owned = preflight(opts, host, previous);
  // A file already exactly in place that berth did not put there (a development setup's
  // links, say) is left alone and not recorded, so uninstall leaves it too.
  const planned = plannedEntries(opts).filter((e) => {
    const foreign = !owned.has(e.path) && exists(host.path(e.path));
    if (foreign) log(`already in place, not managed by berth: ${e.path}`);
    return !foreign;
  });
  const undo: Undo[] = [];
  const createdDirs = [...(previous?.createdDirs ?? [])];
  try {
    for (const entry of planned) {
      const path = host.path(entry.path);
      createdDirs.push(...makeDirs(host, dirname(entry.path), undo));
      undo.push(
        entry.kind === 'link' ? placeLink(path, entry.target) : placeFile(path, entry.content!),
      );
      log(`installed ${entry.path}${entry.kind === 'link' ? ` -> ${entry.target}` : ''}`);
    }
    let createdGroup = previous?.createdGroup;
    if (!(await host.groupExists(API_GROUP))) {
      await host.addSystemGroup(API_GROUP);
      undo.push(() => host.removeGroup(API_GROUP));
      createdGroup = API_GROUP;
      log(`created group ${API_GROUP}`);
    }
    const units = [...opts.source.units.keys()];
    createdDirs.push(...makeDirs(host, dirname(MANIFEST_PATH), undo));
    const manifest: Manifest = {
      version: 1,
      prefix: opts.prefix,
      // Entries of an earlier install that this one no longer has stay recorded for uninstall.
      entries: [
        ...planned.map(({ content: _content, ...entry }) => entry as InstalledEntry),
        ...(previous?.entries ?? []).filter((e) => !planned.some((p) => p.path === e.path)),
      ],
      units,
      createdGroup,
      createdDirs,
    };
    undo.push(placeFile(host.path(MANIFEST_PATH), `${JSON.stringify(manifest, null, 2)}\n`));
    // Forget the units again if anything after this point fails and the files are undone.
    undo.push(() => host.systemctl(['daemon-reload']).catch(() => undefined));
    await host.systemctl(['daemon-reload']);
    if (opts.enable) {
      undo.push(() => host.systemctl(['disable', ...units]).catch(() => undefined));
      await host.systemctl(['enable', ...units]);
      log(`enabled ${units.join(' ')}`);
    }
    return manifest;
  } catch (err) {
    for (const step of undo.reverse()) await step();
    throw err;
  }
}

/** Creates `dir` (a path on the target system) and its missing ancestors; returns those created. */
function makeDirs(host: InstallHost, dir: string, undo: Undo[]): string[] {
  const missing: string[] = [];
  for (let d = dir; !exists(host.path(d)); d = dirname(d)) missing.unshift(d);
  if (missing.length === 0) return [];
  mkdirSync(host.path(dir), { recursive: true });
  // Undone after the files inside them (undo runs in reverse), so they are empty by then.
  undo.push(() => removeEmptyDirs(missing.map((d) => host.path(d))));
  return missing;
}
