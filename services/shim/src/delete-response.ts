// containerd.task.v2.DeleteResponse for the `delete` subcommand, written with protobufjs'
// minimal Writer: containerd runs `delete` after every task, so it must not pay for loading
// the descriptor set. Field numbers: shim.proto DeleteResponse, google/protobuf/timestamp.proto.
import protobuf from 'protobufjs/minimal.js';
import { timestamp } from './timestamp';

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const tag = (field: number, wire: number) => (field << 3) | wire;

export interface DeleteResult {
  pid: number;
  exitStatus: number;
  exitedAt: Date;
}

export function encodeDeleteResponse({ pid, exitStatus, exitedAt }: DeleteResult): Uint8Array {
  const { seconds, nanos } = timestamp(exitedAt);
  const writer = protobuf.Writer.create();
  writer.uint32(tag(1, VARINT)).uint32(pid);
  writer.uint32(tag(2, VARINT)).uint32(exitStatus);
  writer.uint32(tag(3, LENGTH_DELIMITED)).fork();
  writer.uint32(tag(1, VARINT)).int64(seconds).uint32(tag(2, VARINT)).int32(nanos);
  writer.ldelim();
  return writer.finish();
}
