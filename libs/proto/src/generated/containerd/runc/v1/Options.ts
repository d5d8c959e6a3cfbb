// Original file: proto/containerd/runc/options/oci.proto

export interface Options {
  no_pivot_root?: boolean;
  no_new_keyring?: boolean;
  /**
   * cgroup to move the shim into.
   */
  shim_cgroup?: string;
  /**
   * Owner of the IO pipes the shim creates.
   */
  io_uid?: number;
  io_gid?: number;
  /**
   * The runtime binary the shim executes; "runc" when empty.
   */
  binary_name?: string;
  /**
   * The runtime's --root state directory.
   */
  root?: string;
  criu_path?: string;
  systemd_cgroup?: boolean;
  criu_image_path?: string;
  criu_work_path?: string;
}

export interface Options__Output {
  no_pivot_root: boolean;
  no_new_keyring: boolean;
  /**
   * cgroup to move the shim into.
   */
  shim_cgroup: string;
  /**
   * Owner of the IO pipes the shim creates.
   */
  io_uid: number;
  io_gid: number;
  /**
   * The runtime binary the shim executes; "runc" when empty.
   */
  binary_name: string;
  /**
   * The runtime's --root state directory.
   */
  root: string;
  criu_path: string;
  systemd_cgroup: boolean;
  criu_image_path: string;
  criu_work_path: string;
}
