// Original file: proto/containerd/services/namespaces/v1/namespace.proto

export interface ListNamespacesRequest {
  filter?: string;
}

export interface ListNamespacesRequest__Output {
  filter: string;
}
