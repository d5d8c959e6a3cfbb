import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateInto } from '../scripts/generate';

async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  const contents = await Promise.all(
    files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  );
  return new Map(
    files.map((entry, index) => [
      relative(dir, join(entry.parentPath, entry.name)),
      contents[index] ?? '',
    ]),
  );
}

describe('src/generated/', () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'berth-proto-regen-'));
    await generateInto(fresh);
  });
  afterAll(() => rm(fresh, { recursive: true, force: true }));

  it('is what npm run gen -w @berth/proto produces from proto/ now', async () => {
    const [committed, regenerated] = await Promise.all([readTree(GENERATED_DIR), readTree(fresh)]);
    expect([...committed.keys()].sort()).toEqual([...regenerated.keys()].sort());
    const stale = [...regenerated].filter(([file, text]) => committed.get(file) !== text);
    expect(stale.map(([file]) => file)).toEqual([]);
  });
});
