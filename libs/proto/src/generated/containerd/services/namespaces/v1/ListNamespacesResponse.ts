// Original file: proto/containerd/services/namespaces/v1/namespace.proto

import type {
  Namespace as _containerd_services_namespaces_v1_Namespace,
  Namespace__Output as _containerd_services_namespaces_v1_Namespace__Output,
} from '../../../../containerd/services/namespaces/v1/Namespace';

export interface ListNamespacesResponse {
  namespaces?: _containerd_services_namespaces_v1_Namespace[];
}

export interface ListNamespacesResponse__Output {
  namespaces: _containerd_services_namespaces_v1_Namespace__Output[];
}
