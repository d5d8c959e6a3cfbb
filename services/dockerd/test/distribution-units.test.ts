// Units of dockerd's pull and push: X-Registry-Auth decoding, the JSON progress stream and the
// distribution source labels behind RepoDigests and cross-repository mounts.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeRegistryAuth } from '../src/images/auth-header';
import { isFrom, sourceLabel, sourceRepositories } from '../src/images/distribution-source';
import { ProgressStream, shortDigest } from '../src/images/progress';

const encode = (value: object, encoding: 'base64' | 'base64url') =>
  Buffer.from(JSON.stringify(value)).toString(encoding);

describe('X-Registry-Auth', () => {
  it('reads base64url and standard base64 JSON, and treats {} as no credentials', () => {
    const config = { username: 'alice', password: 'a?b>c', serveraddress: '127.0.0.1:5000' };
    const expected = { username: 'alice', password: 'a?b>c' };
    expect(decodeRegistryAuth(encode(config, 'base64url'))).toEqual(expected);
    expect(decodeRegistryAuth(encode(config, 'base64'))).toEqual(expected);
    expect(decodeRegistryAuth(encode({ identitytoken: 'tok' }, 'base64url'))).toEqual({
      identityToken: 'tok',
    });
    expect(decodeRegistryAuth(encode({}, 'base64url'))).toBeUndefined();
    expect(decodeRegistryAuth(undefined)).toBeUndefined();
  });

  it('refuses what is not encoded JSON with 400', () => {
    expect(() => decodeRegistryAuth('not json!')).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
  });
});

describe('ProgressStream', () => {
  it('writes Docker jsonmessage lines and throttles byte progress per layer', async () => {
    const sink = new PassThrough();
    const out = new ProgressStream(sink);
    out.status('Pulling from berth/small', 'v1');
    out.status('Digest: sha256:abc');
    out.progress('Downloading', 'abc', 10, 100);
    out.progress('Downloading', 'abc', 20, 100); // within the interval: dropped
    out.progress('Downloading', 'abc', 100, 100); // complete: always sent
    out.aux({ Tag: 'v1', Digest: 'sha256:abc', Size: 5 });
    out.error('boom');
    out.end();
    const lines = (await sink.toArray())
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { status: 'Pulling from berth/small', progressDetail: {}, id: 'v1' },
      { status: 'Digest: sha256:abc' },
      { status: 'Downloading', progressDetail: { current: 10, total: 100 }, id: 'abc' },
      { status: 'Downloading', progressDetail: { current: 100, total: 100 }, id: 'abc' },
      { progressDetail: {}, aux: { Tag: 'v1', Digest: 'sha256:abc', Size: 5 } },
      { errorDetail: { message: 'boom' }, error: 'boom' },
    ]);
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
  });
});

describe('distribution source labels', () => {
  it('records repositories per registry host and recognises them', () => {
    const first = sourceLabel('127.0.0.1:5000/berth/small');
    expect(first).toEqual({ 'containerd.io/distribution.source.127.0.0.1:5000': 'berth/small' });
    const both = sourceLabel('127.0.0.1:5000/other/small', first);
    expect(sourceRepositories(both, '127.0.0.1:5000')).toEqual(['berth/small', 'other/small']);
    expect(isFrom(both, '127.0.0.1:5000/other/small')).toBe(true);
    expect(isFrom(both, '127.0.0.1:5001/other/small')).toBe(false);
    expect(sourceLabel('127.0.0.1:5000/berth/small', first)).toEqual(first);
  });
});
