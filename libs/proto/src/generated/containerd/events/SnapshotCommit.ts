// Original file: proto/containerd/events/snapshot.proto

export interface SnapshotCommit {
  key?: string;
  name?: string;
}

export interface SnapshotCommit__Output {
  key: string;
  name: string;
}
