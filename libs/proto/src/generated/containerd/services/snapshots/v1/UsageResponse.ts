// Original file: proto/containerd/services/snapshots/v1/snapshots.proto

import type { Long } from '@grpc/proto-loader';

export interface UsageResponse {
  /**
   * Bytes.
   */
  size?: number | string | Long;
  inodes?: number | string | Long;
}

export interface UsageResponse__Output {
  /**
   * Bytes.
   */
  size: string;
  inodes: string;
}
