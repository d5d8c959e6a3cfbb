// Original file: proto/containerd/types/descriptor.proto

import type { Long } from '@grpc/proto-loader';

export interface Descriptor {
  media_type?: string;
  /**
   * "algorithm:hex", e.g. sha256:…
   */
  digest?: string;
  size?: number | string | Long;
  /**
   * Number 4 is unused; annotations are 5 on the wire.
   */
  annotations?: { [key: string]: string };
}

export interface Descriptor__Output {
  media_type: string;
  /**
   * "algorithm:hex", e.g. sha256:…
   */
  digest: string;
  size: string;
  /**
   * Number 4 is unused; annotations are 5 on the wire.
   */
  annotations: { [key: string]: string };
}
