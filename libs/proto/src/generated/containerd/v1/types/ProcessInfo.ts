// Original file: proto/containerd/types/task/task.proto

import type {
  Any as _google_protobuf_Any,
  Any__Output as _google_protobuf_Any__Output,
} from '../../../google/protobuf/Any';

export interface ProcessInfo {
  pid?: number;
  /**
   * Runtime-specific details, e.g. containerd.runc.v1.ProcessDetails for an exec.
   */
  info?: _google_protobuf_Any | null;
}

export interface ProcessInfo__Output {
  pid: number;
  /**
   * Runtime-specific details, e.g. containerd.runc.v1.ProcessDetails for an exec.
   */
  info: _google_protobuf_Any__Output | null;
}
