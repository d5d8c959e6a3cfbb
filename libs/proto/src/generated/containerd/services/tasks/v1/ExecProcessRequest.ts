// Original file: proto/containerd/services/tasks/v1/tasks.proto

import type {
  Any as _google_protobuf_Any,
  Any__Output as _google_protobuf_Any__Output,
} from '../../../../google/protobuf/Any';

export interface ExecProcessRequest {
  container_id?: string;
  stdin?: string;
  stdout?: string;
  stderr?: string;
  terminal?: boolean;
  /**
   * The OCI runtime spec Process, type URL types.containerd.io/opencontainers/runtime-spec/1/Process.
   */
  spec?: _google_protobuf_Any | null;
  exec_id?: string;
}

export interface ExecProcessRequest__Output {
  container_id: string;
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  /**
   * The OCI runtime spec Process, type URL types.containerd.io/opencontainers/runtime-spec/1/Process.
   */
  spec: _google_protobuf_Any__Output | null;
  exec_id: string;
}
