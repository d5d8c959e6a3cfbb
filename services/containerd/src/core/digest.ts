import { createHash } from 'node:crypto';
import { invalidArgument } from './errdefs';

/** Algorithms the OCI image spec registers, with their hex length. */
const ALGORITHMS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ParsedDigest {
  algorithm: string;
  hex: string;
}

export function parseDigest(digest: string): ParsedDigest {
  const i = digest.indexOf(':');
  const algorithm = digest.slice(0, i);
  const hex = digest.slice(i + 1);
  const len = ALGORITHMS[algorithm];
  if (i <= 0 || len === undefined || hex.length !== len || !/^[a-f0-9]+$/.test(hex)) {
    throw invalidArgument(`invalid digest ${JSON.stringify(digest)}`);
  }
  return { algorithm, hex };
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
