import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCode,
  filesUnder,
  makeImage,
  putManifest,
  sha256,
  startRegistry,
  type TestRegistry,
} from './helpers';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg.close();
});

describe('manifests', () => {
  it('stores by tag, serves by tag and digest, and deletes', async () => {
    const img = await makeImage(reg.url, 'app', 'one');
    const put = await putManifest(reg.url, 'app', 'v1', img.manifest);
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(img.digest);
    expect(put.headers.get('location')).toBe(`/v2/app/manifests/${img.digest}`);
    for (const ref of ['v1', img.digest]) {
      const get = await fetch(`${reg.url}/v2/app/manifests/${ref}`);
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(Buffer.from(await get.arrayBuffer()).equals(img.manifest)).toBe(true);
    }
    const head = await fetch(`${reg.url}/v2/app/manifests/v1`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(img.manifest.length));
    const del = await fetch(`${reg.url}/v2/app/manifests/${img.digest}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    const gone = await fetch(`${reg.url}/v2/app/manifests/v1`);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('MANIFEST_UNKNOWN');
  });

  it('refuses a manifest that references a missing blob, storing nothing', async () => {
    const img = await makeImage(reg.url, 'missing', 'two');
    const body = JSON.parse(img.manifest.toString()) as { layers: { digest: string }[] };
    body.layers[0]!.digest = sha256('never uploaded');
    const before = await filesUnder(join(reg.root, 'repositories', 'missing'));
    const res = await putManifest(reg.url, 'missing', 'v1', JSON.stringify(body));
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
    expect(await filesUnder(join(reg.root, 'repositories', 'missing'))).toEqual(before);
  });

  it.each([
    ['not json', '{'],
    ['an array', '[]'],
    ['schema 1', JSON.stringify({ schemaVersion: 1, name: 'x' })],
    ['no config', JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, layers: [] })],
    [
      'a bad digest',
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'x', digest: 'sha256:zz', size: 1 },
        layers: [],
      }),
    ],
  ])('refuses %s with MANIFEST_INVALID', async (_what, body) => {
    const res = await putManifest(reg.url, 'bad', 'v1', body);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_INVALID');
  });

  it('refuses a digest reference that does not match the body', async () => {
    const img = await makeImage(reg.url, 'mismatch', 'three');
    const res = await putManifest(reg.url, 'mismatch', sha256('other'), img.manifest);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
  });

  it('refuses an oversized manifest body', async () => {
    const res = await putManifest(reg.url, 'huge', 'v1', Buffer.alloc(5 * 1024 * 1024, 32));
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('SIZE_INVALID');
  });

  it('negotiates Docker manifest lists and indexes with Accept', async () => {
    const img = await makeImage(reg.url, 'multi', 'four');
    const docker = JSON.parse(img.manifest.toString()) as Record<string, unknown>;
    docker.mediaType = DOCKER_MANIFEST;
    const dockerBytes = JSON.stringify(docker);
    expect(
      (await putManifest(reg.url, 'multi', sha256(dockerBytes), dockerBytes, DOCKER_MANIFEST))
        .status,
    ).toBe(201);
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: [
        {
          mediaType: DOCKER_MANIFEST,
          digest: sha256(dockerBytes),
          size: dockerBytes.length,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    });
    expect((await putManifest(reg.url, 'multi', 'latest', list, DOCKER_LIST)).status).toBe(201);
    const accepted = await fetch(`${reg.url}/v2/multi/manifests/latest`, {
      headers: { Accept: `${DOCKER_MANIFEST}, ${DOCKER_LIST}` },
    });
    expect(accepted.headers.get('content-type')).toBe(DOCKER_LIST);
    const refused = await fetch(`${reg.url}/v2/multi/manifests/latest`, {
      headers: { Accept: OCI_INDEX },
    });
    expect(refused.status).toBe(404);
    const danglingIndex = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: DOCKER_MANIFEST, digest: sha256('nothing'), size: 1 }],
    });
    const res = await putManifest(reg.url, 'multi', 'dangling', danglingIndex, OCI_INDEX);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
  });
});

describe('tags, catalog and referrers', () => {
  it('pages the tag list with n and last and a Link header', async () => {
    const img = await makeImage(reg.url, 'paged', 'five');
    for (const tag of ['c', 'a', 'b', 'd']) {
      expect((await putManifest(reg.url, 'paged', tag, img.manifest)).status).toBe(201);
    }
    const all = await fetch(`${reg.url}/v2/paged/tags/list`);
    expect(await all.json()).toEqual({ name: 'paged', tags: ['a', 'b', 'c', 'd'] });
    const first = await fetch(`${reg.url}/v2/paged/tags/list?n=2`);
    expect(await first.json()).toEqual({ name: 'paged', tags: ['a', 'b'] });
    expect(first.headers.get('link')).toBe('</v2/paged/tags/list?n=2&last=b>; rel="next"');
    const second = await fetch(`${reg.url}/v2/paged/tags/list?n=2&last=b`);
    expect(await second.json()).toEqual({ name: 'paged', tags: ['c', 'd'] });
    expect(second.headers.get('link')).toBeNull();
    const unknown = await fetch(`${reg.url}/v2/nothing/here/tags/list`);
    expect(await errorCode(unknown)).toBe('NAME_UNKNOWN');
  });

  it('lists repositories in the catalog', async () => {
    await makeImage(reg.url, 'deep/nested/repo', 'six');
    const body = (await (await fetch(`${reg.url}/v2/_catalog`)).json()) as {
      repositories: string[];
    };
    expect(body.repositories).toContain('deep/nested/repo');
    expect(body.repositories).toEqual([...body.repositories].sort());
  });

  it('indexes referrers and filters them by artifactType', async () => {
    const subject = await makeImage(reg.url, 'refs', 'subject');
    await putManifest(reg.url, 'refs', 'v1', subject.manifest);
    const subjectDescriptor = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: subject.digest,
      size: subject.manifest.length,
    };
    const digests: string[] = [];
    for (const type of ['application/vnd.example.sig', 'application/vnd.example.sbom']) {
      const ref = await makeImage(reg.url, 'refs', type, {
        artifactType: type,
        subject: subjectDescriptor,
        annotations: { kind: type },
      });
      const res = await putManifest(reg.url, 'refs', ref.digest, ref.manifest);
      expect(res.headers.get('oci-subject')).toBe(subject.digest);
      digests.push(ref.digest);
    }
    const all = await fetch(`${reg.url}/v2/refs/referrers/${subject.digest}`);
    expect(all.headers.get('content-type')).toBe(OCI_INDEX);
    const index = (await all.json()) as { manifests: { digest: string; annotations: object }[] };
    expect(index.manifests.map((m) => m.digest).sort()).toEqual([...digests].sort());
    const filtered = await fetch(
      `${reg.url}/v2/refs/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`,
    );
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    const only = (await filtered.json()) as { manifests: { artifactType: string }[] };
    expect(only.manifests.map((m) => m.artifactType)).toEqual(['application/vnd.example.sbom']);
    await fetch(`${reg.url}/v2/refs/manifests/${digests[0]}`, { method: 'DELETE' });
    const after = (await (
      await fetch(`${reg.url}/v2/refs/referrers/${subject.digest}`)
    ).json()) as {
      manifests: unknown[];
    };
    expect(after.manifests).toHaveLength(1);
  });
});
