// Original file: proto/containerd/events/task.proto

import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../google/protobuf/Timestamp';

export interface TaskDelete {
  container_id?: string;
  pid?: number;
  exit_status?: number;
  exited_at?: _google_protobuf_Timestamp | null;
  /**
   * Identifies the process; upstream shims leave it empty for the init process.
   */
  id?: string;
}

export interface TaskDelete__Output {
  container_id: string;
  pid: number;
  exit_status: number;
  exited_at: _google_protobuf_Timestamp__Output | null;
  /**
   * Identifies the process; upstream shims leave it empty for the init process.
   */
  id: string;
}
