// Original file: proto/containerd/services/tasks/v1/tasks.proto

export interface ListTasksRequest {
  filter?: string;
}

export interface ListTasksRequest__Output {
  filter: string;
}
