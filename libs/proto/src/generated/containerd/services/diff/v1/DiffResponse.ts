// Original file: proto/containerd/services/diff/v1/diff.proto

import type {
  Descriptor as _containerd_types_Descriptor,
  Descriptor__Output as _containerd_types_Descriptor__Output,
} from '../../../../containerd/types/Descriptor';

export interface DiffResponse {
  /**
   * Numbers 1 and 2 are unused.
   */
  diff?: _containerd_types_Descriptor | null;
}

export interface DiffResponse__Output {
  /**
   * Numbers 1 and 2 are unused.
   */
  diff: _containerd_types_Descriptor__Output | null;
}
