import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, renderSnapshot, SNAPSHOT_FILE } from '../scripts/descriptor-snapshot';
import { parseOurProtos, PROTO_DIR } from '../scripts/proto-files';
import { describeWireFormat, diffWireListings } from '../scripts/wire-listing';

describe('proto/descriptor.snapshot.json', () => {
  it('matches the wire format of proto/ (accept a change with npm run snapshot -w @berth/proto)', async () => {
    const current = describeWireFormat(parseOurProtos());
    expect(diffWireListings(await readSnapshot(), current)).toEqual([]);
    expect(await readFile(SNAPSHOT_FILE, 'utf8')).toBe(renderSnapshot(current));
  });

  describe('on a copy of proto/ with one field renumbered', () => {
    let copy: string;
    beforeAll(async () => {
      copy = await mkdtemp(join(tmpdir(), 'berth-proto-copy-'));
      await cp(PROTO_DIR, copy, { recursive: true });
      const mount = join(copy, 'containerd/types/mount.proto');
      const source = await readFile(mount, 'utf8');
      await writeFile(
        mount,
        source.replace('repeated string options = 4;', 'repeated string options = 5;'),
      );
    });
    afterAll(() => rm(copy, { recursive: true, force: true }));

    it('fails with a diff naming the field', async () => {
      const diff = diffWireListings(await readSnapshot(), describeWireFormat(parseOurProtos(copy)));
      expect(diff).toEqual([
        'message containerd.types.Mount field options: {"number":4,"label":"repeated","type":"string"} -> {"number":5,"label":"repeated","type":"string"}',
      ]);
    });
  });
});
