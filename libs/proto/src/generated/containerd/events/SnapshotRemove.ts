// Original file: proto/containerd/events/snapshot.proto

export interface SnapshotRemove {
  key?: string;
}

export interface SnapshotRemove__Output {
  key: string;
}
