import protobuf from 'protobufjs';
import { DESCRIPTOR_BUNDLE } from './descriptor-bundle';

let root: protobuf.Root | undefined;

/**
 * Every definition of proto/ as one protobufjs Root, for protocols that are not gRPC: the
 * shim's ttrpc Task API and events packed into google.protobuf.Any. Built from the JSON
 * bundle on first use, so no .proto is parsed at runtime. Field names are as in the .proto
 * files (snake_case).
 */
export function protoRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.Root.fromJSON(DESCRIPTOR_BUNDLE);
    root.resolveAll();
  }
  return root;
}
