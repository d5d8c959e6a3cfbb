// Original file: proto/containerd/services/content/v1/content.proto

export interface ListContentRequest {
  filters?: string[];
}

export interface ListContentRequest__Output {
  filters: string[];
}
