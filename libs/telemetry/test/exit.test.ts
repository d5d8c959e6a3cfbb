import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpans } from '../src/index';
import { bundleFixtures, type Bundle } from './helpers/bundle';

describe('a short-lived process', () => {
  let bundle: Bundle;
  let dir: string;
  beforeAll(async () => {
    bundle = await bundleFixtures(['exit-without-flush']);
    dir = await mkdtemp(join(tmpdir(), 'berth-traces-'));
  });
  afterAll(async () => {
    await bundle?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps spans still buffered when it calls process.exit', async () => {
    for (const code of [0, 3]) {
      const res = spawnSync(process.execPath, [bundle.path('exit-without-flush')], {
        env: { ...process.env, BERTH_TRACE_DIR: dir, EXIT_CODE: String(code) },
      });
      expect(res.status).toBe(code);
    }
    const names: string[] = [];
    for await (const span of readSpans({ dir, service: 'berth-runtime' })) names.push(span.name);
    expect(names).toEqual(['runtime.state', 'runtime.state']);
  });
});
