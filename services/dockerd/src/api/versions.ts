// Engine API version negotiation, as dockerd does it: clients may prefix any path with
// /v<major>.<minor>; the server answers versions from MIN to MAX, reports MAX in the
// Api-Version header of every response, and treats an unversioned path as MAX.

/** The newest version the docker CLI 28.2 asks for. */
export const MAX_API_VERSION = '1.50';
/** The oldest version dockerd still serves on Linux by default. */
export const MIN_API_VERSION = '1.24';

const VERSIONED_PATH = /^\/v(\d+)\.(\d+)(\/.*)?$/;

export interface VersionedPath {
  /** The version the client asked for, or MAX when the path has no prefix. */
  version: string;
  /** The path without the version prefix. */
  path: string;
}

export function splitVersion(url: string): VersionedPath {
  const match = VERSIONED_PATH.exec(url);
  if (!match) return { version: MAX_API_VERSION, path: url };
  return { version: `${Number(match[1])}.${Number(match[2])}`, path: match[3] ?? '/' };
}

/** Orders two "major.minor" versions numerically (1.9 < 1.24). */
export function compareVersions(a: string, b: string): number {
  const [amaj = 0, amin = 0] = a.split('.').map(Number);
  const [bmaj = 0, bmin = 0] = b.split('.').map(Number);
  return amaj - bmaj || amin - bmin;
}

/** Docker's wording for a version outside the served range, or undefined when it is served. */
export function unsupportedVersionMessage(version: string): string | undefined {
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    return `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
  }
  if (compareVersions(version, MAX_API_VERSION) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`;
  }
  return undefined;
}
