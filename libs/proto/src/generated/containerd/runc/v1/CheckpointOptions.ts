// Original file: proto/containerd/runc/options/oci.proto

export interface CheckpointOptions {
  /**
   * Stop the container after checkpointing.
   */
  exit?: boolean;
  open_tcp?: boolean;
  external_unix_sockets?: boolean;
  terminal?: boolean;
  file_locks?: boolean;
  empty_namespaces?: string[];
  cgroups_mode?: string;
  image_path?: string;
  work_path?: string;
}

export interface CheckpointOptions__Output {
  /**
   * Stop the container after checkpointing.
   */
  exit: boolean;
  open_tcp: boolean;
  external_unix_sockets: boolean;
  terminal: boolean;
  file_locks: boolean;
  empty_namespaces: string[];
  cgroups_mode: string;
  image_path: string;
  work_path: string;
}
