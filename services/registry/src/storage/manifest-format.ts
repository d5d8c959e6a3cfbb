// Validation of the manifest formats the registry accepts: OCI image manifest and index,
// Docker v2 schema2 manifest and manifest list. Anything else is MANIFEST_INVALID.
import { RegistryError } from '../errors';
import { parseDigest } from '../reference';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

const IMAGE_TYPES = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_LIST]);
export const MANIFEST_TYPES: readonly string[] = [
  OCI_MANIFEST,
  OCI_INDEX,
  DOCKER_MANIFEST,
  DOCKER_LIST,
];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface ParsedManifest {
  mediaType: string;
  /** Blobs the manifest needs in the repository (config and layers). */
  blobs: Descriptor[];
  /** Manifests an index points at. */
  manifests: Descriptor[];
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

function invalid(message: string, detail?: unknown): RegistryError {
  return new RegistryError('MANIFEST_INVALID', message, detail);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function descriptor(v: unknown, where: string): Descriptor {
  if (!isRecord(v)) throw invalid(`${where} is not a descriptor`);
  const { mediaType, digest, size } = v;
  if (typeof mediaType !== 'string' || typeof digest !== 'string') {
    throw invalid(`${where} needs mediaType and digest`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`${where} has an invalid size`);
  }
  try {
    parseDigest(digest);
  } catch {
    throw invalid(`${where} has an invalid digest`, { digest });
  }
  return v as unknown as Descriptor;
}

function descriptors(v: unknown, where: string): Descriptor[] {
  if (!Array.isArray(v)) throw invalid(`${where} must be an array`);
  return v.map((d, i) => descriptor(d, `${where}[${i}]`));
}

function stringMap(v: unknown): Record<string, string> | undefined {
  return isRecord(v) ? (v as Record<string, string>) : undefined;
}

/** The media type named by the request, the body, or (for OCI) the body's shape. */
function mediaTypeOf(body: Record<string, unknown>, contentType: string | undefined): string {
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  if (header && MANIFEST_TYPES.includes(header)) {
    if (declared !== undefined && declared !== header) {
      throw invalid('mediaType does not match Content-Type', { mediaType: declared, header });
    }
    return header;
  }
  if (declared !== undefined) return declared;
  return Array.isArray(body.manifests) ? OCI_INDEX : OCI_MANIFEST;
}

export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('manifest is not valid JSON');
  }
  if (!isRecord(body)) throw invalid('manifest is not a JSON object');
  if (body.schemaVersion !== 2) throw invalid('unsupported manifest schemaVersion');
  const mediaType = mediaTypeOf(body, contentType);
  const subject = body.subject === undefined ? undefined : descriptor(body.subject, 'subject');
  const annotations = stringMap(body.annotations);
  if (IMAGE_TYPES.has(mediaType)) {
    const config = descriptor(body.config, 'config');
    const layers = body.layers === undefined && mediaType === OCI_MANIFEST ? [] : body.layers;
    const artifactType = typeof body.artifactType === 'string' ? body.artifactType : undefined;
    return {
      mediaType,
      blobs: [config, ...descriptors(layers, 'layers')],
      manifests: [],
      subject,
      artifactType: artifactType ?? config.mediaType,
      annotations,
    };
  }
  if (INDEX_TYPES.has(mediaType)) {
    return {
      mediaType,
      blobs: [],
      manifests: descriptors(body.manifests, 'manifests'),
      subject,
      artifactType: typeof body.artifactType === 'string' ? body.artifactType : undefined,
      annotations,
    };
  }
  throw invalid('unsupported manifest media type', { mediaType });
}
