import { describe, expect, it } from 'vitest';
import { accepts } from '../src/api/accept';
import { parseByteRange, parseContentRange } from '../src/api/http';
import { matchRoute } from '../src/api/routes';
import { RegistryError } from '../src/errors';
import { assertName, parseDigest } from '../src/reference';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof RegistryError ? err.code : 'OTHER';
  }
  return undefined;
}

describe('names and digests', () => {
  it.each(['a', 'library/alpine', 'a.b_c__d-e/f--g', 'x/y/z/w'])('accepts name %s', (name) => {
    expect(codeOf(() => assertName(name))).toBeUndefined();
  });

  it.each([
    '',
    '..',
    'a/..',
    '../a',
    'a//b',
    'A',
    '_a',
    'a_',
    '-a',
    'a/_blobs',
    `${'a'.repeat(256)}`,
  ])('refuses name %s', (name) => {
    expect(codeOf(() => assertName(name))).toBe('NAME_INVALID');
  });

  it('parses sha256 and sha512 and refuses everything else', () => {
    expect(parseDigest(`sha256:${'a'.repeat(64)}`)).toEqual({
      algorithm: 'sha256',
      hex: 'a'.repeat(64),
    });
    expect(parseDigest(`sha512:${'b'.repeat(128)}`).algorithm).toBe('sha512');
    for (const bad of [
      `sha256:${'a'.repeat(63)}`,
      `md5:${'a'.repeat(32)}`,
      `sha256:${'A'.repeat(64)}`,
      'sha256:../../x',
    ]) {
      expect(codeOf(() => parseDigest(bad))).toBe('DIGEST_INVALID');
    }
  });
});

describe('routes', () => {
  it('splits nested names from the resource', () => {
    expect(matchRoute('/v2/')).toEqual({ kind: 'base' });
    expect(matchRoute('/v2/_catalog')).toEqual({ kind: 'catalog' });
    expect(matchRoute('/v2/a/b/manifests/latest')).toEqual({
      kind: 'manifest',
      name: 'a/b',
      reference: 'latest',
    });
    expect(matchRoute('/v2/a/blobs/uploads/')).toEqual({ kind: 'uploads', name: 'a' });
    expect(matchRoute('/v2/a/blobs/uploads/u-1')).toEqual({ kind: 'upload', name: 'a', id: 'u-1' });
    expect(matchRoute('/v2/a/tags/list')).toEqual({ kind: 'tags', name: 'a' });
    expect(matchRoute('/v2/a/elsewhere')).toBeNull();
    expect(codeOf(() => matchRoute('/v2/a%2F..%2Fb/tags/list'))).toBe('NAME_INVALID');
  });
});

describe('ranges and Accept', () => {
  it('parses byte ranges against a size', () => {
    expect(parseByteRange('bytes=0-4', 10)).toEqual({ start: 0, end: 4 });
    expect(parseByteRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseByteRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseByteRange(undefined, 10)).toBeNull();
    expect(codeOf(() => parseByteRange('bytes=10-12', 10))).toBe('RANGE_INVALID');
    expect(codeOf(() => parseByteRange('items=1-2', 10))).toBe('RANGE_INVALID');
    expect(parseContentRange('0-99')).toEqual({ start: 0, end: 99 });
    expect(codeOf(() => parseContentRange('9-1'))).toBe('RANGE_INVALID');
  });

  it('matches Accept lists, wildcards and absent headers', () => {
    const oci = 'application/vnd.oci.image.manifest.v1+json';
    expect(accepts(undefined, oci)).toBe(true);
    expect(accepts(`text/plain, ${oci};q=0.5`, oci)).toBe(true);
    expect(accepts('application/*', oci)).toBe(true);
    expect(accepts('application/vnd.docker.distribution.manifest.v2+json', oci)).toBe(false);
  });
});
