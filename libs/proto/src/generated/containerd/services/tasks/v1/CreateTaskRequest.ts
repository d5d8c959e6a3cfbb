// Original file: proto/containerd/services/tasks/v1/tasks.proto

import type {
  Mount as _containerd_types_Mount,
  Mount__Output as _containerd_types_Mount__Output,
} from '../../../../containerd/types/Mount';
import type {
  Descriptor as _containerd_types_Descriptor,
  Descriptor__Output as _containerd_types_Descriptor__Output,
} from '../../../../containerd/types/Descriptor';
import type {
  Any as _google_protobuf_Any,
  Any__Output as _google_protobuf_Any__Output,
} from '../../../../google/protobuf/Any';

export interface CreateTaskRequest {
  container_id?: string;
  /**
   * Number 2 is unused.
   * Layers to mount as the rootfs; empty when the spec's root is already prepared.
   */
  rootfs?: _containerd_types_Mount[];
  /**
   * Paths of the FIFOs (or other IO URIs) the shim connects to the process.
   */
  stdin?: string;
  stdout?: string;
  stderr?: string;
  terminal?: boolean;
  checkpoint?: _containerd_types_Descriptor | null;
  /**
   * Runtime options, e.g. containerd.runc.v1.Options.
   */
  options?: _google_protobuf_Any | null;
  runtime_path?: string;
}

export interface CreateTaskRequest__Output {
  container_id: string;
  /**
   * Number 2 is unused.
   * Layers to mount as the rootfs; empty when the spec's root is already prepared.
   */
  rootfs: _containerd_types_Mount__Output[];
  /**
   * Paths of the FIFOs (or other IO URIs) the shim connects to the process.
   */
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  checkpoint: _containerd_types_Descriptor__Output | null;
  /**
   * Runtime options, e.g. containerd.runc.v1.Options.
   */
  options: _google_protobuf_Any__Output | null;
  runtime_path: string;
}
