// Docker's image reference grammar and normalisation: "busybox" is
// docker.io/library/busybox:latest, and is shown back in its familiar short form.
import { InvalidReferenceError } from './errors';

const DEFAULT_DOMAIN = 'docker.io';
const OFFICIAL_PREFIX = 'library/';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export interface Reference {
  /** docker.io/library/busybox */
  name: string;
  tag?: string;
  digest?: string;
}

function invalid(detail?: string) {
  return new InvalidReferenceError(
    detail ? `invalid reference format: ${detail}` : 'invalid reference format',
  );
}

/** Parses and normalises a reference; a reference without tag or digest stays untagged. */
export function parseReference(input: string): Reference {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid();
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid();
  }
  if (rest === '' || rest.length > 255) throw invalid();
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const hasDomain =
    first !== '' && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let domain = hasDomain ? first : DEFAULT_DOMAIN;
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (hasDomain && !DOMAIN.test(domain)) throw invalid();
  if (path !== path.toLowerCase()) throw invalid(`repository name (${path}) must be lowercase`);
  if (!path.split('/').every((c) => COMPONENT.test(c))) throw invalid();
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  return { name: `${domain}/${path}`, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The reference with Docker's default tag when it names neither tag nor digest. */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' };
}

export function formatReference(ref: Reference): string {
  return `${ref.name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** docker.io/library/busybox:latest → busybox:latest, as the CLI and API show names. */
export function familiarName(name: string): string {
  const prefix = `${DEFAULT_DOMAIN}/`;
  if (!name.startsWith(prefix)) return name;
  const path = name.slice(prefix.length);
  return path.startsWith(OFFICIAL_PREFIX) ? path.slice(OFFICIAL_PREFIX.length) : path;
}

/** Full normalised "name:tag" (default tag latest) for storing an image record. */
export function normalizedTagged(input: string): string {
  return formatReference(withDefaultTag(parseReference(input)));
}

/** docker.io/library/busybox → { domain: 'docker.io', path: 'library/busybox' }. */
export function splitName(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  return { domain: name.slice(0, slash), path: name.slice(slash + 1) };
}
