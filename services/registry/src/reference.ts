// Grammar of repository names, tags and digests (distribution-spec "Pulling manifests").
// Everything that becomes a path on disk passes through these checks first, so no request
// can name a file outside the storage root.
import { createHash, type Hash } from 'node:crypto';
import { RegistryError } from './errors';

const NAME_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${NAME_COMPONENT}(?:/${NAME_COMPONENT})*$`);
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST_RE = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
const MAX_NAME_LENGTH = 255;

/** Hex lengths of the algorithms we can verify. */
const ALGORITHMS: Record<string, number> = { sha256: 64, sha512: 128 };

export interface Digest {
  algorithm: string;
  hex: string;
}

export function assertName(name: string): void {
  if (name.length > MAX_NAME_LENGTH || !NAME_RE.test(name)) {
    throw new RegistryError('NAME_INVALID', 'invalid repository name', { name });
  }
}

export function isTag(reference: string): boolean {
  return TAG_RE.test(reference);
}

export function looksLikeDigest(reference: string): boolean {
  return reference.includes(':');
}

/** Parses `alg:hex`; unknown algorithms and malformed hex are DIGEST_INVALID. */
export function parseDigest(text: string): Digest {
  const m = DIGEST_RE.exec(text);
  const algorithm = m?.[1];
  const hex = m?.[2];
  const length = algorithm === undefined ? undefined : ALGORITHMS[algorithm];
  if (
    !algorithm ||
    !hex ||
    length === undefined ||
    hex.length !== length ||
    !/^[a-f0-9]+$/.test(hex)
  ) {
    throw new RegistryError('DIGEST_INVALID', 'invalid or unsupported digest', { digest: text });
  }
  return { algorithm, hex };
}

export function formatDigest(d: Digest): string {
  return `${d.algorithm}:${d.hex}`;
}

export function newHash(algorithm: string): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
