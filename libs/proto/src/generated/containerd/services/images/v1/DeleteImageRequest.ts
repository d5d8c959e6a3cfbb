// Original file: proto/containerd/services/images/v1/images.proto

export interface DeleteImageRequest {
  name?: string;
  /**
   * Run garbage collection before returning.
   */
  sync?: boolean;
}

export interface DeleteImageRequest__Output {
  name: string;
  /**
   * Run garbage collection before returning.
   */
  sync: boolean;
}
