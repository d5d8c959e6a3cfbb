// The spans a pull's registry work records: distribution.resolve per manifest lookup and
// distribution.fetch per blob, with their registry and digest attributes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpans, startTelemetry } from '@berth/telemetry';
import { expect, it } from 'vitest';
import { RegistryClient } from '../src';
import { BLOB, BLOB_DIGEST, MANIFEST_DIGEST, startFake } from './fake-registry';

it('records distribution.resolve and distribution.fetch spans', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-distribution-spans-'));
  const telemetry = await startTelemetry({ service: 'distribution-test', stateDir: dir });
  const fake = await startFake({ auth: 'none' });
  const client = new RegistryClient();
  try {
    const repo = client.repository(`${fake.host}/app`);
    await repo.resolve('v1');
    const blob = await repo.fetchBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.length });
    await blob.toArray();
    await telemetry.flush();
    const spans = [];
    for await (const span of readSpans({ dir })) spans.push(span);
    expect(spans.map((s) => [s.name, s.attributes])).toEqual([
      [
        'distribution.resolve',
        {
          'registry.host': fake.host,
          'registry.repository': 'app',
          'image.reference': 'v1',
          'image.digest': MANIFEST_DIGEST,
        },
      ],
      [
        'distribution.fetch',
        {
          'registry.host': fake.host,
          'registry.repository': 'app',
          'image.digest': BLOB_DIGEST,
          'image.size': BLOB.length,
        },
      ],
    ]);
  } finally {
    await client.close();
    await fake.close();
    await telemetry.shutdown();
    await rm(dir, { recursive: true, force: true });
  }
});
