export { Authorizer, type Credentials, type TokenTransport } from './auth';
export { parseChallenges, type Challenge } from './challenge';
export { RegistryClient, type ClientOptions, type RegistryRequest } from './client';
export { mapLimited } from './concurrency';
export { sha256, verifyBuffer, verifyingStream } from './digest';
export { endpointsFor, isInsecure, isLoopback, registryHostOf, type Endpoint } from './endpoints';
export {
  DigestMismatchError,
  InvalidReferenceError,
  RegistryError,
  UnauthorizedError,
  type RegistryErrorEntry,
} from './errors';
export {
  MANIFEST_ACCEPT,
  MediaType,
  hostPlatform,
  isIndexType,
  isManifestType,
  selectPlatform,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './media-types';
export {
  familiarName,
  formatReference,
  normalizedTagged,
  parseReference,
  splitName,
  withDefaultTag,
  type Reference,
} from './reference';
export {
  Repository,
  type FetchedManifest,
  type PushBlobOptions,
  type PushResult,
} from './repository';
