// Original file: proto/containerd/services/leases/v1/leases.proto

export interface DeleteRequest {
  id?: string;
  /**
   * Run garbage collection before returning.
   */
  sync?: boolean;
}

export interface DeleteRequest__Output {
  id: string;
  /**
   * Run garbage collection before returning.
   */
  sync: boolean;
}
