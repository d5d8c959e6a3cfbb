// Typed encode/decode of the shim API's protobuf messages through @berth/proto's Root.
import { LOADER_OPTIONS, protoRoot } from '@berth/proto';
import type protobuf from 'protobufjs';

const types = new Map<string, protobuf.Type>();

function lookup(name: string): protobuf.Type {
  let type = types.get(name);
  if (!type) {
    type = protoRoot().lookupType(name);
    types.set(name, type);
  }
  return type;
}

export function decode<T>(name: string, bytes: Uint8Array): T {
  const type = lookup(name);
  return type.toObject(type.decode(bytes), LOADER_OPTIONS) as T;
}

export function encode(name: string, message: object): Uint8Array {
  const type = lookup(name);
  return type.encode(type.fromObject(message)).finish();
}

/** A google.protobuf.Any as containerd's typeurl writes it: the bare message name. */
export function packAny(name: string, message: object): { type_url: string; value: Uint8Array } {
  return { type_url: name, value: encode(name, message) };
}

export const EMPTY = new Uint8Array(0);
