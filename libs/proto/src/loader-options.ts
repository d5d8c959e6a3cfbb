import type { Options } from '@grpc/proto-loader';

/**
 * How decoded messages look in JavaScript. The generated types are produced with the same
 * options (scripts/generate.ts derives the generator's flags from this object), so the two
 * cannot drift: proto field names as written (snake_case), 64-bit integers and enums as
 * strings, and every field present with its default.
 */
export const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;
