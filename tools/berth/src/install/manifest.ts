// The record of one installation, so that `berth uninstall` removes exactly what `berth
// install` put in place and nothing an operator changed or added since.
import { createHash } from 'node:crypto';

export const MANIFEST_PATH = '/var/lib/berth/install-manifest.json';

export type InstalledEntry =
  { kind: 'link'; path: string; target: string } | { kind: 'file'; path: string; sha256: string };

export interface Manifest {
  version: 1;
  prefix: string;
  entries: InstalledEntry[];
  /** Units enabled at install time (`systemctl enable`). */
  units: string[];
  /** The API socket group, when berth created it (and so removes it). */
  createdGroup?: string;
  /** Directories berth created, innermost last; removed on uninstall when empty. */
  createdDirs: string[];
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function parseManifest(text: string, path: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest>;
  if (m.version !== 1 || !Array.isArray(m.entries) || !Array.isArray(m.units))
    throw new Error(`${path}: not a berth install manifest (version 1)`);
  return { createdDirs: [], ...m } as Manifest;
}
