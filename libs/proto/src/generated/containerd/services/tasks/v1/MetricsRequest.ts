// Original file: proto/containerd/services/tasks/v1/tasks.proto

export interface MetricsRequest {
  /**
   * Container filters; every task when empty.
   */
  filters?: string[];
}

export interface MetricsRequest__Output {
  /**
   * Container filters; every task when empty.
   */
  filters: string[];
}
