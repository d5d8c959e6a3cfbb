// Original file: proto/containerd/services/leases/v1/leases.proto

export interface Resource {
  id?: string;
  /**
   * "content", "snapshots/<snapshotter>" or "ingests".
   */
  type?: string;
}

export interface Resource__Output {
  id: string;
  /**
   * "content", "snapshots/<snapshotter>" or "ingests".
   */
  type: string;
}
