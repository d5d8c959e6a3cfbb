// Original file: proto/containerd/services/leases/v1/leases.proto

export interface CreateRequest {
  /**
   * Required; clients choose it (ctr and the Go client generate a random one).
   */
  id?: string;
  /**
   * Number 2 is unused.
   */
  labels?: { [key: string]: string };
}

export interface CreateRequest__Output {
  /**
   * Required; clients choose it (ctr and the Go client generate a random one).
   */
  id: string;
  /**
   * Number 2 is unused.
   */
  labels: { [key: string]: string };
}
