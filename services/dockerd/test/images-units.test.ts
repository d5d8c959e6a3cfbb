// Image management rules that need no daemon: --change parsing, the image list and prune
// filters, the save archive's layout, import names and layer sniffing, rmi conflicts.
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../src/api/errors';
import { parseFilters } from '../src/api/filters';
import { readonlyMounts } from '../src/containers/export';
import { applyChanges, words } from '../src/images/changes';
import {
  LIST_FILTERS,
  filterBoolean,
  recordFilter,
  selectImages,
} from '../src/images/image-filters';
import { importName, importedLayerType } from '../src/images/import';
import { MediaType, type ImageConfig } from '../src/images/media-types';
import { checkDeleteConflicts } from '../src/images/remove';
import { archiveLayout, blobPath, type SaveEntry } from '../src/images/save';
import type { Image } from '../src/images/store';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function image(
  id: string,
  names: string[],
  config: ImageConfig = {},
  tagged = new Date('2024-01-01T00:00:00Z'),
): Image {
  const layer = { mediaType: MediaType.layer, digest: digest('1'), size: 10 };
  return {
    id,
    names,
    repoDigests: [],
    target: { mediaType: MediaType.manifest, digest: digest('9'), size: 300 },
    manifest: {
      schemaVersion: 2,
      config: { mediaType: MediaType.config, digest: id, size: 100 },
      layers: [layer],
    },
    config,
    chainId: digest('1'),
    tagged,
  };
}

const thrown = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected a throw');
};

describe('import --change', () => {
  it('applies each instruction as the Dockerfile does', () => {
    const config = applyChanges({ Env: ['PATH=/bin'], WorkingDir: '/srv' }, [
      'ENV A=1 B="two words" C=$A',
      'ENV D=$A',
      'env PATH /usr/bin:/bin',
      'WORKDIR app',
      'USER nobody',
      'LABEL version=1 "with space"=yes',
      'EXPOSE 80 53/udp 8000-8001',
      'VOLUME ["/data"]',
      'VOLUME /cache /logs',
      'STOPSIGNAL SIGINT',
      'ONBUILD RUN make',
      'CMD echo $HOME',
    ]);
    expect(config).toEqual({
      // one ENV expands with the values from before it, as Docker does
      Env: ['PATH=/usr/bin:/bin', 'A=1', 'B=two words', 'C=', 'D=1'],
      WorkingDir: '/srv/app',
      User: 'nobody',
      Labels: { version: '1', 'with space': 'yes' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
      Volumes: { '/data': {}, '/cache': {}, '/logs': {} },
      StopSignal: 'SIGINT',
      OnBuild: ['RUN make'],
      Cmd: ['/bin/sh', '-c', 'echo $HOME'],
    });
  });

  it('keeps CMD set alongside ENTRYPOINT, and drops an inherited one', () => {
    expect(applyChanges({ Cmd: ['old'] }, ['ENTRYPOINT ["/bin/echo"]'])).toEqual({
      Cmd: null,
      Entrypoint: ['/bin/echo'],
    });
    expect(applyChanges({ Cmd: ['old'] }, ['CMD ["x"]\nENTRYPOINT ["/e"]'])).toEqual({
      Cmd: ['x'],
      Entrypoint: ['/e'],
    });
  });

  it('refuses what Docker refuses, leaving the base untouched', () => {
    const base = { Env: ['A=1'] };
    expect(thrown(() => applyChanges(base, ['ENV B=2', 'RUN make'])).message).toBe(
      'run is not a valid change command',
    );
    expect(base).toEqual({ Env: ['A=1'] });
    expect(thrown(() => applyChanges({}, ['EXPOSE http'])).statusCode).toBe(400);
    expect(thrown(() => applyChanges({}, ['WORKDIR a b'])).message).toMatch(/exactly one/);
    expect(thrown(() => applyChanges({}, ['ONBUILD FROM x'])).message).toMatch(/isn't allowed/);
    expect(thrown(() => words('"open')).message).toMatch(/matching "/);
  });

  it('splits words with quotes, escapes and variables', () => {
    expect(words(`a 'b $X' "c $X" d\\ e \${X}f`, ['X=1'])).toEqual([
      'a',
      'b $X',
      'c 1',
      'd e',
      '1f',
    ]);
    expect(words(`""`)).toEqual(['']);
  });
});

describe('image filters', () => {
  const old = image(
    digest('a'),
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1'],
    {
      created: '2020-01-01T00:00:00Z',
      config: { Labels: { tier: 'base' } },
    },
  );
  const mid = image(digest('b'), ['registry.test:5000/team/app:v1'], {
    created: '2022-01-01T00:00:00Z',
    config: { Labels: { tier: 'app', owner: 'me' } },
  });
  const dangling = image(digest('c'), [], { created: '2024-01-01T00:00:00Z' }, new Date());
  const all = [old, mid, dangling];
  const byRef = async (ref: string) => all.find((i) => i.names.some((n) => n.includes(ref)))!;
  const select = async (filters: Record<string, string[]>, nowMs?: number) => {
    const filter = await recordFilter(
      parseFilters(JSON.stringify(filters), LIST_FILTERS),
      byRef,
      nowMs,
    );
    return selectImages(all, filter).map((i) => `${i.id.slice(7, 8)}:${i.names.join(',')}`);
  };

  it('matches references like reference.FamiliarMatch, listing only the names that match', async () => {
    expect(await select({ reference: ['busybox'] })).toEqual([
      'a:docker.io/library/busybox:latest,docker.io/library/busybox:1',
    ]);
    expect(await select({ reference: ['busybox:1'] })).toEqual(['a:docker.io/library/busybox:1']);
    expect(await select({ reference: ['registry.test:5000/*/app'] })).toEqual([
      'b:registry.test:5000/team/app:v1',
    ]);
    expect(await select({ reference: ['*'] })).toEqual([
      'a:docker.io/library/busybox:latest,docker.io/library/busybox:1',
    ]);
  });

  it('selects by dangling, label, label!, before, since and until', async () => {
    expect(await select({ dangling: ['true'] })).toEqual(['c:']);
    expect(await select({ dangling: ['false'] })).toHaveLength(2);
    expect(await select({ label: ['tier'] })).toHaveLength(2);
    expect(await select({ label: ['tier=app'] })).toEqual(['b:registry.test:5000/team/app:v1']);
    expect(await select({ label: ['tier!=app'] })).toHaveLength(1);
    expect(await select({ 'label!': ['owner'] })).toHaveLength(2);
    expect(await select({ before: ['team/app'] })).toHaveLength(1);
    expect(await select({ since: ['busybox:1'] })).toEqual([
      'b:registry.test:5000/team/app:v1',
      'c:',
    ]);
    // until compares the record's time: the dangling one was made just now
    expect(await select({ until: ['1h'] })).toHaveLength(2);
    expect(await select({ until: ['2025-01-01'] }, Date.now())).toHaveLength(2);
  });

  it('refuses unknown filters and bad booleans', async () => {
    expect(() => parseFilters('{"colour":{"red":true}}', LIST_FILTERS)).toThrow(
      "invalid filter 'colour'",
    );
    expect(() => filterBoolean('dangling', 'maybe')).toThrow("invalid filter 'dangling=maybe'");
    await expect(select({ until: ['soon'] })).rejects.toThrow(/failed to parse/);
  });
});

describe('save archive layout', () => {
  it('lists each blob once and names every image in index.json, manifest.json, repositories', () => {
    const a = image(digest('a'), [
      'docker.io/library/busybox:latest',
      'docker.io/library/busybox:1',
    ]);
    const b = image(digest('b'), []);
    const blobs = ({ image: i }: SaveEntry) => [i.target, i.manifest.config, ...i.manifest.layers];
    const layout = archiveLayout(
      [
        { image: a, names: a.names },
        { image: b, names: [] },
      ],
      blobs,
    );
    expect(layout.blobs.map((d) => d.digest)).toEqual([
      digest('9'),
      digest('a'),
      digest('1'),
      digest('b'),
    ]);
    const file = (name: string) =>
      JSON.parse(layout.files.find((f) => f.name === name)!.data.toString()) as unknown;
    expect(file('manifest.json')).toEqual([
      {
        Config: blobPath(digest('a')),
        RepoTags: ['busybox:latest', 'busybox:1'],
        Layers: [blobPath(digest('1'))],
      },
      { Config: blobPath(digest('b')), RepoTags: [], Layers: [blobPath(digest('1'))] },
    ]);
    expect(file('repositories')).toEqual({
      busybox: { latest: '1'.repeat(64), 1: '1'.repeat(64) },
    });
    expect(file('oci-layout')).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = file('index.json') as { manifests: { annotations?: Record<string, string> }[] };
    expect(index.manifests.map((m) => m.annotations)).toEqual([
      {
        'io.containerd.image.name': 'docker.io/library/busybox:latest',
        'org.opencontainers.image.ref.name': 'latest',
      },
      {
        'io.containerd.image.name': 'docker.io/library/busybox:1',
        'org.opencontainers.image.ref.name': '1',
      },
      undefined,
    ]);
  });
});

describe('import', () => {
  it('names the image from repo and tag as the API does', () => {
    expect(importName('busybox', undefined)).toBe('docker.io/library/busybox:latest');
    expect(importName('me/app:1', undefined)).toBe('docker.io/me/app:1');
    expect(importName('me/app:1', '2')).toBe('docker.io/me/app:2');
    expect(importName(undefined, 'x')).toBeUndefined();
    expect(thrown(() => importName(`a@sha256:${'0'.repeat(64)}`, undefined)).statusCode).toBe(400);
    expect(thrown(() => importName('Bad/Name', undefined)).statusCode).toBe(400);
  });

  it('tells the layer compression by its first bytes', () => {
    expect(importedLayerType(Buffer.from([0x1f, 0x8b, 0x08, 0]))).toBe(MediaType.ociLayerGzip);
    expect(importedLayerType(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe(MediaType.ociLayerZstd);
    expect(importedLayerType(Buffer.from('bin/\0\0\0'))).toBe(MediaType.ociLayer);
    expect(thrown(() => importedLayerType(Buffer.from('BZh91AY'))).message).toMatch(/bzip2/);
  });
});

describe('rmi conflicts', () => {
  const img = image(digest('d'), ['docker.io/library/a:1', 'docker.io/library/a:2']);
  it('puts running containers first, then stopped ones, then several names', () => {
    const running = { id: 'f'.repeat(64), running: true };
    const stopped = { id: 'e'.repeat(64), running: false };
    expect(
      thrown(() => checkDeleteConflicts(img, [stopped, running], { force: true, byName: false }))
        .message,
    ).toBe(
      `conflict: unable to delete dddddddddddd (cannot be forced) - image is being used by running container ffffffffffff`,
    );
    expect(
      thrown(() => checkDeleteConflicts(img, [stopped], { force: false, byName: false })).message,
    ).toMatch(/\(must be forced\) - image is being used by stopped container eeeeeeeeeeee/);
    expect(
      thrown(() => checkDeleteConflicts(img, [], { force: false, byName: false })).message,
    ).toMatch(/referenced in multiple repositories/);
    expect(() =>
      checkDeleteConflicts(img, [stopped], { force: true, byName: false }),
    ).not.toThrow();
    expect(() => checkDeleteConflicts(img, [], { force: false, byName: true })).not.toThrow();
  });
});

describe('export', () => {
  it('shows a snapshot read-only, its writable layer on top of the lower ones', () => {
    expect(
      readonlyMounts([
        {
          type: 'overlay',
          source: 'overlay',
          options: ['index=off', 'workdir=/s/2/work', 'upperdir=/s/2/fs', 'lowerdir=/s/1/fs'],
        },
      ]),
    ).toEqual([
      {
        type: 'overlay',
        source: 'overlay',
        options: ['index=off', 'lowerdir=/s/2/fs:/s/1/fs', 'ro'],
      },
    ]);
    expect(readonlyMounts([{ type: 'bind', source: '/s/1/fs', options: ['rbind', 'rw'] }])).toEqual(
      [{ type: 'bind', source: '/s/1/fs', options: ['rbind', 'rw', 'ro'] }],
    );
  });
});
