// Original file: proto/containerd/events/image.proto

export interface ImageDelete {
  name?: string;
}

export interface ImageDelete__Output {
  name: string;
}
