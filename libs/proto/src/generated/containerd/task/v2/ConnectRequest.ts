// Original file: proto/containerd/runtime/task/v2/shim.proto

export interface ConnectRequest {
  id?: string;
}

export interface ConnectRequest__Output {
  id: string;
}
