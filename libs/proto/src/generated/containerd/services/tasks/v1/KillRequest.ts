// Original file: proto/containerd/services/tasks/v1/tasks.proto

export interface KillRequest {
  container_id?: string;
  exec_id?: string;
  signal?: number;
  /**
   * Signal every process of the container, not just the init process.
   */
  all?: boolean;
}

export interface KillRequest__Output {
  container_id: string;
  exec_id: string;
  signal: number;
  /**
   * Signal every process of the container, not just the init process.
   */
  all: boolean;
}
