// containerd.task.v2.DeleteResponse for the `delete` subcommand, written with protobufjs'
// minimal Writer: containerd runs `delete` after every task, so it must not pay for loading
// the descriptor set. Field numbers: shim.proto DeleteResponse, google/protobuf/timestamp.proto.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import protobuf from 'protobufjs/minimal.js';
import { timestamp } from './timestamp';

/**
 * The bundle file holding the DeleteResponse of a task containerd deleted through the Task
 * API: `delete` prints it as is (native/front.c too, without starting Node).
 */
export const DELETE_RECORD = 'berth-shim-delete.pb';

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

/** Records the answer `delete` gives from now on (temp file + rename: never half-written). */
export async function recordDeleteResponse(bundle: string, result: DeleteResult): Promise<void> {
  const file = join(bundle, DELETE_RECORD);
  await writeFile(`${file}.tmp`, encodeDeleteResponse(result));
  await rename(`${file}.tmp`, file);
}

/** The recorded DeleteResponse, if containerd deleted the task through the Task API. */
export async function recordedDeleteResponse(bundle: string): Promise<Buffer | undefined> {
  try {
    return await readFile(join(bundle, DELETE_RECORD));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
