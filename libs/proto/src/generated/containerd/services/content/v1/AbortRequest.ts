// Original file: proto/containerd/services/content/v1/content.proto

export interface AbortRequest {
  ref?: string;
}

export interface AbortRequest__Output {
  ref: string;
}
