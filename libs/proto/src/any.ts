import { LOADER_OPTIONS } from './loader-options';
import { protoRoot } from './proto-root';

export interface PackedAny {
  type_url: string;
  value: Buffer;
}

/**
 * Packs a message of proto/ into a google.protobuf.Any the way containerd does: the type
 * URL is the bare full name (e.g. "containerd.events.TaskExit"), with no host prefix.
 */
export function packAny(typeName: string, value: object): PackedAny {
  const type = protoRoot().lookupType(typeName);
  return { type_url: typeName, value: Buffer.from(type.encode(type.fromObject(value)).finish()) };
}

/**
 * Decodes an Any into the same object shape grpc-js gives for that message (the generated
 * `__Output` type). Accepts prefixed type URLs too (type.googleapis.com/…). Throws for a
 * type proto/ does not define.
 */
export function unpackAny(any: { type_url: string; value: Uint8Array }): {
  typeName: string;
  value: Record<string, unknown>;
} {
  const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
  const type = protoRoot().lookupType(typeName);
  return { typeName, value: type.toObject(type.decode(any.value), LOADER_OPTIONS) };
}
