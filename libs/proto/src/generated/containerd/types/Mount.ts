// Original file: proto/containerd/types/mount.proto

export interface Mount {
  type?: string;
  source?: string;
  /**
   * Relative to the rootfs when used as a container mount; empty for rootfs layers.
   */
  target?: string;
  options?: string[];
}

export interface Mount__Output {
  type: string;
  source: string;
  /**
   * Relative to the rootfs when used as a container mount; empty for rootfs layers.
   */
  target: string;
  options: string[];
}
