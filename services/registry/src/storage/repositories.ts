// The repository catalog: every folder under repositories/ that holds repository records.
import { join } from 'node:path';
import { listDir } from './fsutil';
import type { Layout } from './layout';

const RECORD_DIRS = new Set(['_blobs', '_manifests', '_tags', '_referrers']);

export async function listRepositories(layout: Layout): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = await listDir(dir);
    if (prefix && entries.some((e) => RECORD_DIRS.has(e))) out.push(prefix);
    for (const e of entries) {
      if (e.startsWith('_') || e.startsWith('.')) continue;
      await walk(join(dir, e), prefix ? `${prefix}/${e}` : e);
    }
  }
  await walk(layout.repositoriesDir, '');
  return out.sort();
}
