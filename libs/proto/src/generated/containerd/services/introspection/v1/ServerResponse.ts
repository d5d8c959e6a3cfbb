// Original file: proto/containerd/services/introspection/v1/introspection.proto

export interface ServerResponse {
  /**
   * Stable for the lifetime of the root directory.
   */
  uuid?: string;
}

export interface ServerResponse__Output {
  /**
   * Stable for the lifetime of the root directory.
   */
  uuid: string;
}
