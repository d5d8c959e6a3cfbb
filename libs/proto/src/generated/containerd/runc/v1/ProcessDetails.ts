// Original file: proto/containerd/runc/options/oci.proto

/**
 * ProcessInfo.info of an exec process.
 */
export interface ProcessDetails {
  exec_id?: string;
}

/**
 * ProcessInfo.info of an exec process.
 */
export interface ProcessDetails__Output {
  exec_id: string;
}
