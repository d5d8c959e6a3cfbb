// Original file: proto/containerd/runtime/task/v2/shim.proto

export interface KillRequest {
  id?: string;
  exec_id?: string;
  signal?: number;
  /**
   * Signal every process in the container.
   */
  all?: boolean;
}

export interface KillRequest__Output {
  id: string;
  exec_id: string;
  signal: number;
  /**
   * Signal every process in the container.
   */
  all: boolean;
}
