// Original file: proto/containerd/services/containers/v1/containers.proto

import type {
  Any as _google_protobuf_Any,
  Any__Output as _google_protobuf_Any__Output,
} from '../../../../google/protobuf/Any';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../../google/protobuf/Timestamp';

export interface _containerd_services_containers_v1_Container_Runtime {
  /**
   * e.g. io.containerd.runc.v2
   */
  name?: string;
  /**
   * e.g. containerd.runc.v1.Options
   */
  options?: _google_protobuf_Any | null;
}

export interface _containerd_services_containers_v1_Container_Runtime__Output {
  /**
   * e.g. io.containerd.runc.v2
   */
  name: string;
  /**
   * e.g. containerd.runc.v1.Options
   */
  options: _google_protobuf_Any__Output | null;
}

export interface Container {
  id?: string;
  labels?: { [key: string]: string };
  image?: string;
  runtime?: _containerd_services_containers_v1_Container_Runtime | null;
  /**
   * The OCI runtime spec, type URL types.containerd.io/opencontainers/runtime-spec/1/Spec.
   */
  spec?: _google_protobuf_Any | null;
  snapshotter?: string;
  snapshot_key?: string;
  created_at?: _google_protobuf_Timestamp | null;
  updated_at?: _google_protobuf_Timestamp | null;
  /**
   * Client-defined data kept with the record.
   */
  extensions?: { [key: string]: _google_protobuf_Any };
}

export interface Container__Output {
  id: string;
  labels: { [key: string]: string };
  image: string;
  runtime: _containerd_services_containers_v1_Container_Runtime__Output | null;
  /**
   * The OCI runtime spec, type URL types.containerd.io/opencontainers/runtime-spec/1/Spec.
   */
  spec: _google_protobuf_Any__Output | null;
  snapshotter: string;
  snapshot_key: string;
  created_at: _google_protobuf_Timestamp__Output | null;
  updated_at: _google_protobuf_Timestamp__Output | null;
  /**
   * Client-defined data kept with the record.
   */
  extensions: { [key: string]: _google_protobuf_Any__Output };
}
