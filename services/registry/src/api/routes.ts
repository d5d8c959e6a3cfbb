// Maps a /v2 path onto the resource it names. Repository names contain slashes, so the
// path is matched here rather than by the HTTP router.
import { RegistryError } from '../errors';
import { assertName } from '../reference';

export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'referrers'; name: string; digest: string };

const PATTERNS: [RegExp, (name: string, arg: string) => Route][] = [
  [/^\/v2\/(.+)\/tags\/list$/, (name) => ({ kind: 'tags', name })],
  [
    /^\/v2\/(.+)\/manifests\/([^/]+)$/,
    (name, reference) => ({ kind: 'manifest', name, reference }),
  ],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (name) => ({ kind: 'uploads', name })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (name, id) => ({ kind: 'upload', name, id })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (name, digest) => ({ kind: 'blob', name, digest })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (name, digest) => ({ kind: 'referrers', name, digest })],
];

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RegistryError('NAME_INVALID', 'malformed path encoding');
  }
}

/** The route of `path` (without query), or null when nothing under /v2 has that shape. */
export function matchRoute(path: string): Route | null {
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  if (path === '/v2/_catalog') return { kind: 'catalog' };
  for (const [re, make] of PATTERNS) {
    const m = re.exec(path);
    if (!m) continue;
    const name = decode(m[1] ?? '');
    assertName(name);
    return make(name, decode(m[2] ?? ''));
  }
  return null;
}
