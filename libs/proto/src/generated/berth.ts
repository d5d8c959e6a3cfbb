import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ContainerCreate as _containerd_events_ContainerCreate,
  ContainerCreate__Output as _containerd_events_ContainerCreate__Output,
} from './containerd/events/ContainerCreate';
import type {
  ContainerDelete as _containerd_events_ContainerDelete,
  ContainerDelete__Output as _containerd_events_ContainerDelete__Output,
} from './containerd/events/ContainerDelete';
import type {
  ContainerUpdate as _containerd_events_ContainerUpdate,
  ContainerUpdate__Output as _containerd_events_ContainerUpdate__Output,
} from './containerd/events/ContainerUpdate';
import type {
  ContentDelete as _containerd_events_ContentDelete,
  ContentDelete__Output as _containerd_events_ContentDelete__Output,
} from './containerd/events/ContentDelete';
import type {
  NamespaceCreate as _containerd_events_NamespaceCreate,
  NamespaceCreate__Output as _containerd_events_NamespaceCreate__Output,
} from './containerd/events/NamespaceCreate';
import type {
  NamespaceDelete as _containerd_events_NamespaceDelete,
  NamespaceDelete__Output as _containerd_events_NamespaceDelete__Output,
} from './containerd/events/NamespaceDelete';
import type {
  NamespaceUpdate as _containerd_events_NamespaceUpdate,
  NamespaceUpdate__Output as _containerd_events_NamespaceUpdate__Output,
} from './containerd/events/NamespaceUpdate';
import type {
  SnapshotCommit as _containerd_events_SnapshotCommit,
  SnapshotCommit__Output as _containerd_events_SnapshotCommit__Output,
} from './containerd/events/SnapshotCommit';
import type {
  SnapshotPrepare as _containerd_events_SnapshotPrepare,
  SnapshotPrepare__Output as _containerd_events_SnapshotPrepare__Output,
} from './containerd/events/SnapshotPrepare';
import type {
  SnapshotRemove as _containerd_events_SnapshotRemove,
  SnapshotRemove__Output as _containerd_events_SnapshotRemove__Output,
} from './containerd/events/SnapshotRemove';
import type {
  TaskCheckpointed as _containerd_events_TaskCheckpointed,
  TaskCheckpointed__Output as _containerd_events_TaskCheckpointed__Output,
} from './containerd/events/TaskCheckpointed';
import type {
  TaskCreate as _containerd_events_TaskCreate,
  TaskCreate__Output as _containerd_events_TaskCreate__Output,
} from './containerd/events/TaskCreate';
import type {
  TaskDelete as _containerd_events_TaskDelete,
  TaskDelete__Output as _containerd_events_TaskDelete__Output,
} from './containerd/events/TaskDelete';
import type {
  TaskExecAdded as _containerd_events_TaskExecAdded,
  TaskExecAdded__Output as _containerd_events_TaskExecAdded__Output,
} from './containerd/events/TaskExecAdded';
import type {
  TaskExecStarted as _containerd_events_TaskExecStarted,
  TaskExecStarted__Output as _containerd_events_TaskExecStarted__Output,
} from './containerd/events/TaskExecStarted';
import type {
  TaskExit as _containerd_events_TaskExit,
  TaskExit__Output as _containerd_events_TaskExit__Output,
} from './containerd/events/TaskExit';
import type {
  TaskIO as _containerd_events_TaskIO,
  TaskIO__Output as _containerd_events_TaskIO__Output,
} from './containerd/events/TaskIO';
import type {
  TaskOOM as _containerd_events_TaskOOM,
  TaskOOM__Output as _containerd_events_TaskOOM__Output,
} from './containerd/events/TaskOOM';
import type {
  TaskPaused as _containerd_events_TaskPaused,
  TaskPaused__Output as _containerd_events_TaskPaused__Output,
} from './containerd/events/TaskPaused';
import type {
  TaskResumed as _containerd_events_TaskResumed,
  TaskResumed__Output as _containerd_events_TaskResumed__Output,
} from './containerd/events/TaskResumed';
import type {
  TaskStart as _containerd_events_TaskStart,
  TaskStart__Output as _containerd_events_TaskStart__Output,
} from './containerd/events/TaskStart';
import type {
  CheckpointOptions as _containerd_runc_v1_CheckpointOptions,
  CheckpointOptions__Output as _containerd_runc_v1_CheckpointOptions__Output,
} from './containerd/runc/v1/CheckpointOptions';
import type {
  Options as _containerd_runc_v1_Options,
  Options__Output as _containerd_runc_v1_Options__Output,
} from './containerd/runc/v1/Options';
import type {
  ProcessDetails as _containerd_runc_v1_ProcessDetails,
  ProcessDetails__Output as _containerd_runc_v1_ProcessDetails__Output,
} from './containerd/runc/v1/ProcessDetails';
import type {
  Container as _containerd_services_containers_v1_Container,
  Container__Output as _containerd_services_containers_v1_Container__Output,
} from './containerd/services/containers/v1/Container';
import type {
  ContainersClient as _containerd_services_containers_v1_ContainersClient,
  ContainersDefinition as _containerd_services_containers_v1_ContainersDefinition,
} from './containerd/services/containers/v1/Containers';
import type {
  CreateContainerRequest as _containerd_services_containers_v1_CreateContainerRequest,
  CreateContainerRequest__Output as _containerd_services_containers_v1_CreateContainerRequest__Output,
} from './containerd/services/containers/v1/CreateContainerRequest';
import type {
  CreateContainerResponse as _containerd_services_containers_v1_CreateContainerResponse,
  CreateContainerResponse__Output as _containerd_services_containers_v1_CreateContainerResponse__Output,
} from './containerd/services/containers/v1/CreateContainerResponse';
import type {
  DeleteContainerRequest as _containerd_services_containers_v1_DeleteContainerRequest,
  DeleteContainerRequest__Output as _containerd_services_containers_v1_DeleteContainerRequest__Output,
} from './containerd/services/containers/v1/DeleteContainerRequest';
import type {
  GetContainerRequest as _containerd_services_containers_v1_GetContainerRequest,
  GetContainerRequest__Output as _containerd_services_containers_v1_GetContainerRequest__Output,
} from './containerd/services/containers/v1/GetContainerRequest';
import type {
  GetContainerResponse as _containerd_services_containers_v1_GetContainerResponse,
  GetContainerResponse__Output as _containerd_services_containers_v1_GetContainerResponse__Output,
} from './containerd/services/containers/v1/GetContainerResponse';
import type {
  ListContainerMessage as _containerd_services_containers_v1_ListContainerMessage,
  ListContainerMessage__Output as _containerd_services_containers_v1_ListContainerMessage__Output,
} from './containerd/services/containers/v1/ListContainerMessage';
import type {
  ListContainersRequest as _containerd_services_containers_v1_ListContainersRequest,
  ListContainersRequest__Output as _containerd_services_containers_v1_ListContainersRequest__Output,
} from './containerd/services/containers/v1/ListContainersRequest';
import type {
  ListContainersResponse as _containerd_services_containers_v1_ListContainersResponse,
  ListContainersResponse__Output as _containerd_services_containers_v1_ListContainersResponse__Output,
} from './containerd/services/containers/v1/ListContainersResponse';
import type {
  UpdateContainerRequest as _containerd_services_containers_v1_UpdateContainerRequest,
  UpdateContainerRequest__Output as _containerd_services_containers_v1_UpdateContainerRequest__Output,
} from './containerd/services/containers/v1/UpdateContainerRequest';
import type {
  UpdateContainerResponse as _containerd_services_containers_v1_UpdateContainerResponse,
  UpdateContainerResponse__Output as _containerd_services_containers_v1_UpdateContainerResponse__Output,
} from './containerd/services/containers/v1/UpdateContainerResponse';
import type {
  AbortRequest as _containerd_services_content_v1_AbortRequest,
  AbortRequest__Output as _containerd_services_content_v1_AbortRequest__Output,
} from './containerd/services/content/v1/AbortRequest';
import type {
  ContentClient as _containerd_services_content_v1_ContentClient,
  ContentDefinition as _containerd_services_content_v1_ContentDefinition,
} from './containerd/services/content/v1/Content';
import type {
  DeleteContentRequest as _containerd_services_content_v1_DeleteContentRequest,
  DeleteContentRequest__Output as _containerd_services_content_v1_DeleteContentRequest__Output,
} from './containerd/services/content/v1/DeleteContentRequest';
import type {
  Info as _containerd_services_content_v1_Info,
  Info__Output as _containerd_services_content_v1_Info__Output,
} from './containerd/services/content/v1/Info';
import type {
  InfoRequest as _containerd_services_content_v1_InfoRequest,
  InfoRequest__Output as _containerd_services_content_v1_InfoRequest__Output,
} from './containerd/services/content/v1/InfoRequest';
import type {
  InfoResponse as _containerd_services_content_v1_InfoResponse,
  InfoResponse__Output as _containerd_services_content_v1_InfoResponse__Output,
} from './containerd/services/content/v1/InfoResponse';
import type {
  ListContentRequest as _containerd_services_content_v1_ListContentRequest,
  ListContentRequest__Output as _containerd_services_content_v1_ListContentRequest__Output,
} from './containerd/services/content/v1/ListContentRequest';
import type {
  ListContentResponse as _containerd_services_content_v1_ListContentResponse,
  ListContentResponse__Output as _containerd_services_content_v1_ListContentResponse__Output,
} from './containerd/services/content/v1/ListContentResponse';
import type {
  ListStatusesRequest as _containerd_services_content_v1_ListStatusesRequest,
  ListStatusesRequest__Output as _containerd_services_content_v1_ListStatusesRequest__Output,
} from './containerd/services/content/v1/ListStatusesRequest';
import type {
  ListStatusesResponse as _containerd_services_content_v1_ListStatusesResponse,
  ListStatusesResponse__Output as _containerd_services_content_v1_ListStatusesResponse__Output,
} from './containerd/services/content/v1/ListStatusesResponse';
import type {
  ReadContentRequest as _containerd_services_content_v1_ReadContentRequest,
  ReadContentRequest__Output as _containerd_services_content_v1_ReadContentRequest__Output,
} from './containerd/services/content/v1/ReadContentRequest';
import type {
  ReadContentResponse as _containerd_services_content_v1_ReadContentResponse,
  ReadContentResponse__Output as _containerd_services_content_v1_ReadContentResponse__Output,
} from './containerd/services/content/v1/ReadContentResponse';
import type {
  Status as _containerd_services_content_v1_Status,
  Status__Output as _containerd_services_content_v1_Status__Output,
} from './containerd/services/content/v1/Status';
import type {
  StatusRequest as _containerd_services_content_v1_StatusRequest,
  StatusRequest__Output as _containerd_services_content_v1_StatusRequest__Output,
} from './containerd/services/content/v1/StatusRequest';
import type {
  StatusResponse as _containerd_services_content_v1_StatusResponse,
  StatusResponse__Output as _containerd_services_content_v1_StatusResponse__Output,
} from './containerd/services/content/v1/StatusResponse';
import type {
  UpdateRequest as _containerd_services_content_v1_UpdateRequest,
  UpdateRequest__Output as _containerd_services_content_v1_UpdateRequest__Output,
} from './containerd/services/content/v1/UpdateRequest';
import type {
  UpdateResponse as _containerd_services_content_v1_UpdateResponse,
  UpdateResponse__Output as _containerd_services_content_v1_UpdateResponse__Output,
} from './containerd/services/content/v1/UpdateResponse';
import type {
  WriteContentRequest as _containerd_services_content_v1_WriteContentRequest,
  WriteContentRequest__Output as _containerd_services_content_v1_WriteContentRequest__Output,
} from './containerd/services/content/v1/WriteContentRequest';
import type {
  WriteContentResponse as _containerd_services_content_v1_WriteContentResponse,
  WriteContentResponse__Output as _containerd_services_content_v1_WriteContentResponse__Output,
} from './containerd/services/content/v1/WriteContentResponse';
import type {
  ApplyRequest as _containerd_services_diff_v1_ApplyRequest,
  ApplyRequest__Output as _containerd_services_diff_v1_ApplyRequest__Output,
} from './containerd/services/diff/v1/ApplyRequest';
import type {
  ApplyResponse as _containerd_services_diff_v1_ApplyResponse,
  ApplyResponse__Output as _containerd_services_diff_v1_ApplyResponse__Output,
} from './containerd/services/diff/v1/ApplyResponse';
import type {
  DiffClient as _containerd_services_diff_v1_DiffClient,
  DiffDefinition as _containerd_services_diff_v1_DiffDefinition,
} from './containerd/services/diff/v1/Diff';
import type {
  DiffRequest as _containerd_services_diff_v1_DiffRequest,
  DiffRequest__Output as _containerd_services_diff_v1_DiffRequest__Output,
} from './containerd/services/diff/v1/DiffRequest';
import type {
  DiffResponse as _containerd_services_diff_v1_DiffResponse,
  DiffResponse__Output as _containerd_services_diff_v1_DiffResponse__Output,
} from './containerd/services/diff/v1/DiffResponse';
import type {
  Envelope as _containerd_services_events_ttrpc_v1_Envelope,
  Envelope__Output as _containerd_services_events_ttrpc_v1_Envelope__Output,
} from './containerd/services/events/ttrpc/v1/Envelope';
import type {
  EventsClient as _containerd_services_events_ttrpc_v1_EventsClient,
  EventsDefinition as _containerd_services_events_ttrpc_v1_EventsDefinition,
} from './containerd/services/events/ttrpc/v1/Events';
import type {
  ForwardRequest as _containerd_services_events_ttrpc_v1_ForwardRequest,
  ForwardRequest__Output as _containerd_services_events_ttrpc_v1_ForwardRequest__Output,
} from './containerd/services/events/ttrpc/v1/ForwardRequest';
import type {
  Envelope as _containerd_services_events_v1_Envelope,
  Envelope__Output as _containerd_services_events_v1_Envelope__Output,
} from './containerd/services/events/v1/Envelope';
import type {
  EventsClient as _containerd_services_events_v1_EventsClient,
  EventsDefinition as _containerd_services_events_v1_EventsDefinition,
} from './containerd/services/events/v1/Events';
import type {
  ForwardRequest as _containerd_services_events_v1_ForwardRequest,
  ForwardRequest__Output as _containerd_services_events_v1_ForwardRequest__Output,
} from './containerd/services/events/v1/ForwardRequest';
import type {
  PublishRequest as _containerd_services_events_v1_PublishRequest,
  PublishRequest__Output as _containerd_services_events_v1_PublishRequest__Output,
} from './containerd/services/events/v1/PublishRequest';
import type {
  SubscribeRequest as _containerd_services_events_v1_SubscribeRequest,
  SubscribeRequest__Output as _containerd_services_events_v1_SubscribeRequest__Output,
} from './containerd/services/events/v1/SubscribeRequest';
import type {
  CreateImageRequest as _containerd_services_images_v1_CreateImageRequest,
  CreateImageRequest__Output as _containerd_services_images_v1_CreateImageRequest__Output,
} from './containerd/services/images/v1/CreateImageRequest';
import type {
  CreateImageResponse as _containerd_services_images_v1_CreateImageResponse,
  CreateImageResponse__Output as _containerd_services_images_v1_CreateImageResponse__Output,
} from './containerd/services/images/v1/CreateImageResponse';
import type {
  DeleteImageRequest as _containerd_services_images_v1_DeleteImageRequest,
  DeleteImageRequest__Output as _containerd_services_images_v1_DeleteImageRequest__Output,
} from './containerd/services/images/v1/DeleteImageRequest';
import type {
  GetImageRequest as _containerd_services_images_v1_GetImageRequest,
  GetImageRequest__Output as _containerd_services_images_v1_GetImageRequest__Output,
} from './containerd/services/images/v1/GetImageRequest';
import type {
  GetImageResponse as _containerd_services_images_v1_GetImageResponse,
  GetImageResponse__Output as _containerd_services_images_v1_GetImageResponse__Output,
} from './containerd/services/images/v1/GetImageResponse';
import type {
  Image as _containerd_services_images_v1_Image,
  Image__Output as _containerd_services_images_v1_Image__Output,
} from './containerd/services/images/v1/Image';
import type {
  ImageCreate as _containerd_services_images_v1_ImageCreate,
  ImageCreate__Output as _containerd_services_images_v1_ImageCreate__Output,
} from './containerd/services/images/v1/ImageCreate';
import type {
  ImageDelete as _containerd_services_images_v1_ImageDelete,
  ImageDelete__Output as _containerd_services_images_v1_ImageDelete__Output,
} from './containerd/services/images/v1/ImageDelete';
import type {
  ImageUpdate as _containerd_services_images_v1_ImageUpdate,
  ImageUpdate__Output as _containerd_services_images_v1_ImageUpdate__Output,
} from './containerd/services/images/v1/ImageUpdate';
import type {
  ImagesClient as _containerd_services_images_v1_ImagesClient,
  ImagesDefinition as _containerd_services_images_v1_ImagesDefinition,
} from './containerd/services/images/v1/Images';
import type {
  ListImagesRequest as _containerd_services_images_v1_ListImagesRequest,
  ListImagesRequest__Output as _containerd_services_images_v1_ListImagesRequest__Output,
} from './containerd/services/images/v1/ListImagesRequest';
import type {
  ListImagesResponse as _containerd_services_images_v1_ListImagesResponse,
  ListImagesResponse__Output as _containerd_services_images_v1_ListImagesResponse__Output,
} from './containerd/services/images/v1/ListImagesResponse';
import type {
  UpdateImageRequest as _containerd_services_images_v1_UpdateImageRequest,
  UpdateImageRequest__Output as _containerd_services_images_v1_UpdateImageRequest__Output,
} from './containerd/services/images/v1/UpdateImageRequest';
import type {
  UpdateImageResponse as _containerd_services_images_v1_UpdateImageResponse,
  UpdateImageResponse__Output as _containerd_services_images_v1_UpdateImageResponse__Output,
} from './containerd/services/images/v1/UpdateImageResponse';
import type {
  IntrospectionClient as _containerd_services_introspection_v1_IntrospectionClient,
  IntrospectionDefinition as _containerd_services_introspection_v1_IntrospectionDefinition,
} from './containerd/services/introspection/v1/Introspection';
import type {
  Plugin as _containerd_services_introspection_v1_Plugin,
  Plugin__Output as _containerd_services_introspection_v1_Plugin__Output,
} from './containerd/services/introspection/v1/Plugin';
import type {
  PluginsRequest as _containerd_services_introspection_v1_PluginsRequest,
  PluginsRequest__Output as _containerd_services_introspection_v1_PluginsRequest__Output,
} from './containerd/services/introspection/v1/PluginsRequest';
import type {
  PluginsResponse as _containerd_services_introspection_v1_PluginsResponse,
  PluginsResponse__Output as _containerd_services_introspection_v1_PluginsResponse__Output,
} from './containerd/services/introspection/v1/PluginsResponse';
import type {
  ServerResponse as _containerd_services_introspection_v1_ServerResponse,
  ServerResponse__Output as _containerd_services_introspection_v1_ServerResponse__Output,
} from './containerd/services/introspection/v1/ServerResponse';
import type {
  AddResourceRequest as _containerd_services_leases_v1_AddResourceRequest,
  AddResourceRequest__Output as _containerd_services_leases_v1_AddResourceRequest__Output,
} from './containerd/services/leases/v1/AddResourceRequest';
import type {
  CreateRequest as _containerd_services_leases_v1_CreateRequest,
  CreateRequest__Output as _containerd_services_leases_v1_CreateRequest__Output,
} from './containerd/services/leases/v1/CreateRequest';
import type {
  CreateResponse as _containerd_services_leases_v1_CreateResponse,
  CreateResponse__Output as _containerd_services_leases_v1_CreateResponse__Output,
} from './containerd/services/leases/v1/CreateResponse';
import type {
  DeleteRequest as _containerd_services_leases_v1_DeleteRequest,
  DeleteRequest__Output as _containerd_services_leases_v1_DeleteRequest__Output,
} from './containerd/services/leases/v1/DeleteRequest';
import type {
  DeleteResourceRequest as _containerd_services_leases_v1_DeleteResourceRequest,
  DeleteResourceRequest__Output as _containerd_services_leases_v1_DeleteResourceRequest__Output,
} from './containerd/services/leases/v1/DeleteResourceRequest';
import type {
  Lease as _containerd_services_leases_v1_Lease,
  Lease__Output as _containerd_services_leases_v1_Lease__Output,
} from './containerd/services/leases/v1/Lease';
import type {
  LeasesClient as _containerd_services_leases_v1_LeasesClient,
  LeasesDefinition as _containerd_services_leases_v1_LeasesDefinition,
} from './containerd/services/leases/v1/Leases';
import type {
  ListRequest as _containerd_services_leases_v1_ListRequest,
  ListRequest__Output as _containerd_services_leases_v1_ListRequest__Output,
} from './containerd/services/leases/v1/ListRequest';
import type {
  ListResourcesRequest as _containerd_services_leases_v1_ListResourcesRequest,
  ListResourcesRequest__Output as _containerd_services_leases_v1_ListResourcesRequest__Output,
} from './containerd/services/leases/v1/ListResourcesRequest';
import type {
  ListResourcesResponse as _containerd_services_leases_v1_ListResourcesResponse,
  ListResourcesResponse__Output as _containerd_services_leases_v1_ListResourcesResponse__Output,
} from './containerd/services/leases/v1/ListResourcesResponse';
import type {
  ListResponse as _containerd_services_leases_v1_ListResponse,
  ListResponse__Output as _containerd_services_leases_v1_ListResponse__Output,
} from './containerd/services/leases/v1/ListResponse';
import type {
  Resource as _containerd_services_leases_v1_Resource,
  Resource__Output as _containerd_services_leases_v1_Resource__Output,
} from './containerd/services/leases/v1/Resource';
import type {
  CreateNamespaceRequest as _containerd_services_namespaces_v1_CreateNamespaceRequest,
  CreateNamespaceRequest__Output as _containerd_services_namespaces_v1_CreateNamespaceRequest__Output,
} from './containerd/services/namespaces/v1/CreateNamespaceRequest';
import type {
  CreateNamespaceResponse as _containerd_services_namespaces_v1_CreateNamespaceResponse,
  CreateNamespaceResponse__Output as _containerd_services_namespaces_v1_CreateNamespaceResponse__Output,
} from './containerd/services/namespaces/v1/CreateNamespaceResponse';
import type {
  DeleteNamespaceRequest as _containerd_services_namespaces_v1_DeleteNamespaceRequest,
  DeleteNamespaceRequest__Output as _containerd_services_namespaces_v1_DeleteNamespaceRequest__Output,
} from './containerd/services/namespaces/v1/DeleteNamespaceRequest';
import type {
  GetNamespaceRequest as _containerd_services_namespaces_v1_GetNamespaceRequest,
  GetNamespaceRequest__Output as _containerd_services_namespaces_v1_GetNamespaceRequest__Output,
} from './containerd/services/namespaces/v1/GetNamespaceRequest';
import type {
  GetNamespaceResponse as _containerd_services_namespaces_v1_GetNamespaceResponse,
  GetNamespaceResponse__Output as _containerd_services_namespaces_v1_GetNamespaceResponse__Output,
} from './containerd/services/namespaces/v1/GetNamespaceResponse';
import type {
  ListNamespacesRequest as _containerd_services_namespaces_v1_ListNamespacesRequest,
  ListNamespacesRequest__Output as _containerd_services_namespaces_v1_ListNamespacesRequest__Output,
} from './containerd/services/namespaces/v1/ListNamespacesRequest';
import type {
  ListNamespacesResponse as _containerd_services_namespaces_v1_ListNamespacesResponse,
  ListNamespacesResponse__Output as _containerd_services_namespaces_v1_ListNamespacesResponse__Output,
} from './containerd/services/namespaces/v1/ListNamespacesResponse';
import type {
  Namespace as _containerd_services_namespaces_v1_Namespace,
  Namespace__Output as _containerd_services_namespaces_v1_Namespace__Output,
} from './containerd/services/namespaces/v1/Namespace';
import type {
  NamespacesClient as _containerd_services_namespaces_v1_NamespacesClient,
  NamespacesDefinition as _containerd_services_namespaces_v1_NamespacesDefinition,
} from './containerd/services/namespaces/v1/Namespaces';
import type {
  UpdateNamespaceRequest as _containerd_services_namespaces_v1_UpdateNamespaceRequest,
  UpdateNamespaceRequest__Output as _containerd_services_namespaces_v1_UpdateNamespaceRequest__Output,
} from './containerd/services/namespaces/v1/UpdateNamespaceRequest';
import type {
  UpdateNamespaceResponse as _containerd_services_namespaces_v1_UpdateNamespaceResponse,
  UpdateNamespaceResponse__Output as _containerd_services_namespaces_v1_UpdateNamespaceResponse__Output,
} from './containerd/services/namespaces/v1/UpdateNamespaceResponse';
import type {
  CleanupRequest as _containerd_services_snapshots_v1_CleanupRequest,
  CleanupRequest__Output as _containerd_services_snapshots_v1_CleanupRequest__Output,
} from './containerd/services/snapshots/v1/CleanupRequest';
import type {
  CommitSnapshotRequest as _containerd_services_snapshots_v1_CommitSnapshotRequest,
  CommitSnapshotRequest__Output as _containerd_services_snapshots_v1_CommitSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/CommitSnapshotRequest';
import type {
  Info as _containerd_services_snapshots_v1_Info,
  Info__Output as _containerd_services_snapshots_v1_Info__Output,
} from './containerd/services/snapshots/v1/Info';
import type {
  ListSnapshotsRequest as _containerd_services_snapshots_v1_ListSnapshotsRequest,
  ListSnapshotsRequest__Output as _containerd_services_snapshots_v1_ListSnapshotsRequest__Output,
} from './containerd/services/snapshots/v1/ListSnapshotsRequest';
import type {
  ListSnapshotsResponse as _containerd_services_snapshots_v1_ListSnapshotsResponse,
  ListSnapshotsResponse__Output as _containerd_services_snapshots_v1_ListSnapshotsResponse__Output,
} from './containerd/services/snapshots/v1/ListSnapshotsResponse';
import type {
  MountsRequest as _containerd_services_snapshots_v1_MountsRequest,
  MountsRequest__Output as _containerd_services_snapshots_v1_MountsRequest__Output,
} from './containerd/services/snapshots/v1/MountsRequest';
import type {
  MountsResponse as _containerd_services_snapshots_v1_MountsResponse,
  MountsResponse__Output as _containerd_services_snapshots_v1_MountsResponse__Output,
} from './containerd/services/snapshots/v1/MountsResponse';
import type {
  PrepareSnapshotRequest as _containerd_services_snapshots_v1_PrepareSnapshotRequest,
  PrepareSnapshotRequest__Output as _containerd_services_snapshots_v1_PrepareSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/PrepareSnapshotRequest';
import type {
  PrepareSnapshotResponse as _containerd_services_snapshots_v1_PrepareSnapshotResponse,
  PrepareSnapshotResponse__Output as _containerd_services_snapshots_v1_PrepareSnapshotResponse__Output,
} from './containerd/services/snapshots/v1/PrepareSnapshotResponse';
import type {
  RemoveSnapshotRequest as _containerd_services_snapshots_v1_RemoveSnapshotRequest,
  RemoveSnapshotRequest__Output as _containerd_services_snapshots_v1_RemoveSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/RemoveSnapshotRequest';
import type {
  SnapshotsClient as _containerd_services_snapshots_v1_SnapshotsClient,
  SnapshotsDefinition as _containerd_services_snapshots_v1_SnapshotsDefinition,
} from './containerd/services/snapshots/v1/Snapshots';
import type {
  StatSnapshotRequest as _containerd_services_snapshots_v1_StatSnapshotRequest,
  StatSnapshotRequest__Output as _containerd_services_snapshots_v1_StatSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/StatSnapshotRequest';
import type {
  StatSnapshotResponse as _containerd_services_snapshots_v1_StatSnapshotResponse,
  StatSnapshotResponse__Output as _containerd_services_snapshots_v1_StatSnapshotResponse__Output,
} from './containerd/services/snapshots/v1/StatSnapshotResponse';
import type {
  UpdateSnapshotRequest as _containerd_services_snapshots_v1_UpdateSnapshotRequest,
  UpdateSnapshotRequest__Output as _containerd_services_snapshots_v1_UpdateSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/UpdateSnapshotRequest';
import type {
  UpdateSnapshotResponse as _containerd_services_snapshots_v1_UpdateSnapshotResponse,
  UpdateSnapshotResponse__Output as _containerd_services_snapshots_v1_UpdateSnapshotResponse__Output,
} from './containerd/services/snapshots/v1/UpdateSnapshotResponse';
import type {
  UsageRequest as _containerd_services_snapshots_v1_UsageRequest,
  UsageRequest__Output as _containerd_services_snapshots_v1_UsageRequest__Output,
} from './containerd/services/snapshots/v1/UsageRequest';
import type {
  UsageResponse as _containerd_services_snapshots_v1_UsageResponse,
  UsageResponse__Output as _containerd_services_snapshots_v1_UsageResponse__Output,
} from './containerd/services/snapshots/v1/UsageResponse';
import type {
  ViewSnapshotRequest as _containerd_services_snapshots_v1_ViewSnapshotRequest,
  ViewSnapshotRequest__Output as _containerd_services_snapshots_v1_ViewSnapshotRequest__Output,
} from './containerd/services/snapshots/v1/ViewSnapshotRequest';
import type {
  ViewSnapshotResponse as _containerd_services_snapshots_v1_ViewSnapshotResponse,
  ViewSnapshotResponse__Output as _containerd_services_snapshots_v1_ViewSnapshotResponse__Output,
} from './containerd/services/snapshots/v1/ViewSnapshotResponse';
import type {
  CheckpointTaskRequest as _containerd_services_tasks_v1_CheckpointTaskRequest,
  CheckpointTaskRequest__Output as _containerd_services_tasks_v1_CheckpointTaskRequest__Output,
} from './containerd/services/tasks/v1/CheckpointTaskRequest';
import type {
  CheckpointTaskResponse as _containerd_services_tasks_v1_CheckpointTaskResponse,
  CheckpointTaskResponse__Output as _containerd_services_tasks_v1_CheckpointTaskResponse__Output,
} from './containerd/services/tasks/v1/CheckpointTaskResponse';
import type {
  CloseIORequest as _containerd_services_tasks_v1_CloseIORequest,
  CloseIORequest__Output as _containerd_services_tasks_v1_CloseIORequest__Output,
} from './containerd/services/tasks/v1/CloseIORequest';
import type {
  CreateTaskRequest as _containerd_services_tasks_v1_CreateTaskRequest,
  CreateTaskRequest__Output as _containerd_services_tasks_v1_CreateTaskRequest__Output,
} from './containerd/services/tasks/v1/CreateTaskRequest';
import type {
  CreateTaskResponse as _containerd_services_tasks_v1_CreateTaskResponse,
  CreateTaskResponse__Output as _containerd_services_tasks_v1_CreateTaskResponse__Output,
} from './containerd/services/tasks/v1/CreateTaskResponse';
import type {
  DeleteProcessRequest as _containerd_services_tasks_v1_DeleteProcessRequest,
  DeleteProcessRequest__Output as _containerd_services_tasks_v1_DeleteProcessRequest__Output,
} from './containerd/services/tasks/v1/DeleteProcessRequest';
import type {
  DeleteResponse as _containerd_services_tasks_v1_DeleteResponse,
  DeleteResponse__Output as _containerd_services_tasks_v1_DeleteResponse__Output,
} from './containerd/services/tasks/v1/DeleteResponse';
import type {
  DeleteTaskRequest as _containerd_services_tasks_v1_DeleteTaskRequest,
  DeleteTaskRequest__Output as _containerd_services_tasks_v1_DeleteTaskRequest__Output,
} from './containerd/services/tasks/v1/DeleteTaskRequest';
import type {
  ExecProcessRequest as _containerd_services_tasks_v1_ExecProcessRequest,
  ExecProcessRequest__Output as _containerd_services_tasks_v1_ExecProcessRequest__Output,
} from './containerd/services/tasks/v1/ExecProcessRequest';
import type {
  ExecProcessResponse as _containerd_services_tasks_v1_ExecProcessResponse,
  ExecProcessResponse__Output as _containerd_services_tasks_v1_ExecProcessResponse__Output,
} from './containerd/services/tasks/v1/ExecProcessResponse';
import type {
  GetRequest as _containerd_services_tasks_v1_GetRequest,
  GetRequest__Output as _containerd_services_tasks_v1_GetRequest__Output,
} from './containerd/services/tasks/v1/GetRequest';
import type {
  GetResponse as _containerd_services_tasks_v1_GetResponse,
  GetResponse__Output as _containerd_services_tasks_v1_GetResponse__Output,
} from './containerd/services/tasks/v1/GetResponse';
import type {
  KillRequest as _containerd_services_tasks_v1_KillRequest,
  KillRequest__Output as _containerd_services_tasks_v1_KillRequest__Output,
} from './containerd/services/tasks/v1/KillRequest';
import type {
  ListPidsRequest as _containerd_services_tasks_v1_ListPidsRequest,
  ListPidsRequest__Output as _containerd_services_tasks_v1_ListPidsRequest__Output,
} from './containerd/services/tasks/v1/ListPidsRequest';
import type {
  ListPidsResponse as _containerd_services_tasks_v1_ListPidsResponse,
  ListPidsResponse__Output as _containerd_services_tasks_v1_ListPidsResponse__Output,
} from './containerd/services/tasks/v1/ListPidsResponse';
import type {
  ListTasksRequest as _containerd_services_tasks_v1_ListTasksRequest,
  ListTasksRequest__Output as _containerd_services_tasks_v1_ListTasksRequest__Output,
} from './containerd/services/tasks/v1/ListTasksRequest';
import type {
  ListTasksResponse as _containerd_services_tasks_v1_ListTasksResponse,
  ListTasksResponse__Output as _containerd_services_tasks_v1_ListTasksResponse__Output,
} from './containerd/services/tasks/v1/ListTasksResponse';
import type {
  MetricsRequest as _containerd_services_tasks_v1_MetricsRequest,
  MetricsRequest__Output as _containerd_services_tasks_v1_MetricsRequest__Output,
} from './containerd/services/tasks/v1/MetricsRequest';
import type {
  MetricsResponse as _containerd_services_tasks_v1_MetricsResponse,
  MetricsResponse__Output as _containerd_services_tasks_v1_MetricsResponse__Output,
} from './containerd/services/tasks/v1/MetricsResponse';
import type {
  PauseTaskRequest as _containerd_services_tasks_v1_PauseTaskRequest,
  PauseTaskRequest__Output as _containerd_services_tasks_v1_PauseTaskRequest__Output,
} from './containerd/services/tasks/v1/PauseTaskRequest';
import type {
  ResizePtyRequest as _containerd_services_tasks_v1_ResizePtyRequest,
  ResizePtyRequest__Output as _containerd_services_tasks_v1_ResizePtyRequest__Output,
} from './containerd/services/tasks/v1/ResizePtyRequest';
import type {
  ResumeTaskRequest as _containerd_services_tasks_v1_ResumeTaskRequest,
  ResumeTaskRequest__Output as _containerd_services_tasks_v1_ResumeTaskRequest__Output,
} from './containerd/services/tasks/v1/ResumeTaskRequest';
import type {
  StartRequest as _containerd_services_tasks_v1_StartRequest,
  StartRequest__Output as _containerd_services_tasks_v1_StartRequest__Output,
} from './containerd/services/tasks/v1/StartRequest';
import type {
  StartResponse as _containerd_services_tasks_v1_StartResponse,
  StartResponse__Output as _containerd_services_tasks_v1_StartResponse__Output,
} from './containerd/services/tasks/v1/StartResponse';
import type {
  TasksClient as _containerd_services_tasks_v1_TasksClient,
  TasksDefinition as _containerd_services_tasks_v1_TasksDefinition,
} from './containerd/services/tasks/v1/Tasks';
import type {
  UpdateTaskRequest as _containerd_services_tasks_v1_UpdateTaskRequest,
  UpdateTaskRequest__Output as _containerd_services_tasks_v1_UpdateTaskRequest__Output,
} from './containerd/services/tasks/v1/UpdateTaskRequest';
import type {
  WaitRequest as _containerd_services_tasks_v1_WaitRequest,
  WaitRequest__Output as _containerd_services_tasks_v1_WaitRequest__Output,
} from './containerd/services/tasks/v1/WaitRequest';
import type {
  WaitResponse as _containerd_services_tasks_v1_WaitResponse,
  WaitResponse__Output as _containerd_services_tasks_v1_WaitResponse__Output,
} from './containerd/services/tasks/v1/WaitResponse';
import type {
  VersionClient as _containerd_services_version_v1_VersionClient,
  VersionDefinition as _containerd_services_version_v1_VersionDefinition,
} from './containerd/services/version/v1/Version';
import type {
  VersionResponse as _containerd_services_version_v1_VersionResponse,
  VersionResponse__Output as _containerd_services_version_v1_VersionResponse__Output,
} from './containerd/services/version/v1/VersionResponse';
import type {
  CheckpointTaskRequest as _containerd_task_v2_CheckpointTaskRequest,
  CheckpointTaskRequest__Output as _containerd_task_v2_CheckpointTaskRequest__Output,
} from './containerd/task/v2/CheckpointTaskRequest';
import type {
  CloseIORequest as _containerd_task_v2_CloseIORequest,
  CloseIORequest__Output as _containerd_task_v2_CloseIORequest__Output,
} from './containerd/task/v2/CloseIORequest';
import type {
  ConnectRequest as _containerd_task_v2_ConnectRequest,
  ConnectRequest__Output as _containerd_task_v2_ConnectRequest__Output,
} from './containerd/task/v2/ConnectRequest';
import type {
  ConnectResponse as _containerd_task_v2_ConnectResponse,
  ConnectResponse__Output as _containerd_task_v2_ConnectResponse__Output,
} from './containerd/task/v2/ConnectResponse';
import type {
  CreateTaskRequest as _containerd_task_v2_CreateTaskRequest,
  CreateTaskRequest__Output as _containerd_task_v2_CreateTaskRequest__Output,
} from './containerd/task/v2/CreateTaskRequest';
import type {
  CreateTaskResponse as _containerd_task_v2_CreateTaskResponse,
  CreateTaskResponse__Output as _containerd_task_v2_CreateTaskResponse__Output,
} from './containerd/task/v2/CreateTaskResponse';
import type {
  DeleteRequest as _containerd_task_v2_DeleteRequest,
  DeleteRequest__Output as _containerd_task_v2_DeleteRequest__Output,
} from './containerd/task/v2/DeleteRequest';
import type {
  DeleteResponse as _containerd_task_v2_DeleteResponse,
  DeleteResponse__Output as _containerd_task_v2_DeleteResponse__Output,
} from './containerd/task/v2/DeleteResponse';
import type {
  ExecProcessRequest as _containerd_task_v2_ExecProcessRequest,
  ExecProcessRequest__Output as _containerd_task_v2_ExecProcessRequest__Output,
} from './containerd/task/v2/ExecProcessRequest';
import type {
  ExecProcessResponse as _containerd_task_v2_ExecProcessResponse,
  ExecProcessResponse__Output as _containerd_task_v2_ExecProcessResponse__Output,
} from './containerd/task/v2/ExecProcessResponse';
import type {
  KillRequest as _containerd_task_v2_KillRequest,
  KillRequest__Output as _containerd_task_v2_KillRequest__Output,
} from './containerd/task/v2/KillRequest';
import type {
  PauseRequest as _containerd_task_v2_PauseRequest,
  PauseRequest__Output as _containerd_task_v2_PauseRequest__Output,
} from './containerd/task/v2/PauseRequest';
import type {
  PidsRequest as _containerd_task_v2_PidsRequest,
  PidsRequest__Output as _containerd_task_v2_PidsRequest__Output,
} from './containerd/task/v2/PidsRequest';
import type {
  PidsResponse as _containerd_task_v2_PidsResponse,
  PidsResponse__Output as _containerd_task_v2_PidsResponse__Output,
} from './containerd/task/v2/PidsResponse';
import type {
  ResizePtyRequest as _containerd_task_v2_ResizePtyRequest,
  ResizePtyRequest__Output as _containerd_task_v2_ResizePtyRequest__Output,
} from './containerd/task/v2/ResizePtyRequest';
import type {
  ResumeRequest as _containerd_task_v2_ResumeRequest,
  ResumeRequest__Output as _containerd_task_v2_ResumeRequest__Output,
} from './containerd/task/v2/ResumeRequest';
import type {
  ShutdownRequest as _containerd_task_v2_ShutdownRequest,
  ShutdownRequest__Output as _containerd_task_v2_ShutdownRequest__Output,
} from './containerd/task/v2/ShutdownRequest';
import type {
  StartRequest as _containerd_task_v2_StartRequest,
  StartRequest__Output as _containerd_task_v2_StartRequest__Output,
} from './containerd/task/v2/StartRequest';
import type {
  StartResponse as _containerd_task_v2_StartResponse,
  StartResponse__Output as _containerd_task_v2_StartResponse__Output,
} from './containerd/task/v2/StartResponse';
import type {
  StateRequest as _containerd_task_v2_StateRequest,
  StateRequest__Output as _containerd_task_v2_StateRequest__Output,
} from './containerd/task/v2/StateRequest';
import type {
  StateResponse as _containerd_task_v2_StateResponse,
  StateResponse__Output as _containerd_task_v2_StateResponse__Output,
} from './containerd/task/v2/StateResponse';
import type {
  StatsRequest as _containerd_task_v2_StatsRequest,
  StatsRequest__Output as _containerd_task_v2_StatsRequest__Output,
} from './containerd/task/v2/StatsRequest';
import type {
  StatsResponse as _containerd_task_v2_StatsResponse,
  StatsResponse__Output as _containerd_task_v2_StatsResponse__Output,
} from './containerd/task/v2/StatsResponse';
import type {
  TaskClient as _containerd_task_v2_TaskClient,
  TaskDefinition as _containerd_task_v2_TaskDefinition,
} from './containerd/task/v2/Task';
import type {
  UpdateTaskRequest as _containerd_task_v2_UpdateTaskRequest,
  UpdateTaskRequest__Output as _containerd_task_v2_UpdateTaskRequest__Output,
} from './containerd/task/v2/UpdateTaskRequest';
import type {
  WaitRequest as _containerd_task_v2_WaitRequest,
  WaitRequest__Output as _containerd_task_v2_WaitRequest__Output,
} from './containerd/task/v2/WaitRequest';
import type {
  WaitResponse as _containerd_task_v2_WaitResponse,
  WaitResponse__Output as _containerd_task_v2_WaitResponse__Output,
} from './containerd/task/v2/WaitResponse';
import type {
  Descriptor as _containerd_types_Descriptor,
  Descriptor__Output as _containerd_types_Descriptor__Output,
} from './containerd/types/Descriptor';
import type {
  Metric as _containerd_types_Metric,
  Metric__Output as _containerd_types_Metric__Output,
} from './containerd/types/Metric';
import type {
  Mount as _containerd_types_Mount,
  Mount__Output as _containerd_types_Mount__Output,
} from './containerd/types/Mount';
import type {
  Platform as _containerd_types_Platform,
  Platform__Output as _containerd_types_Platform__Output,
} from './containerd/types/Platform';
import type {
  Process as _containerd_v1_types_Process,
  Process__Output as _containerd_v1_types_Process__Output,
} from './containerd/v1/types/Process';
import type {
  ProcessInfo as _containerd_v1_types_ProcessInfo,
  ProcessInfo__Output as _containerd_v1_types_ProcessInfo__Output,
} from './containerd/v1/types/ProcessInfo';
import type {
  Any as _google_protobuf_Any,
  Any__Output as _google_protobuf_Any__Output,
} from './google/protobuf/Any';
import type {
  Empty as _google_protobuf_Empty,
  Empty__Output as _google_protobuf_Empty__Output,
} from './google/protobuf/Empty';
import type {
  FieldMask as _google_protobuf_FieldMask,
  FieldMask__Output as _google_protobuf_FieldMask__Output,
} from './google/protobuf/FieldMask';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp';
import type {
  Status as _google_rpc_Status,
  Status__Output as _google_rpc_Status__Output,
} from './google/rpc/Status';
import type {
  HealthClient as _grpc_health_v1_HealthClient,
  HealthDefinition as _grpc_health_v1_HealthDefinition,
} from './grpc/health/v1/Health';
import type {
  HealthCheckRequest as _grpc_health_v1_HealthCheckRequest,
  HealthCheckRequest__Output as _grpc_health_v1_HealthCheckRequest__Output,
} from './grpc/health/v1/HealthCheckRequest';
import type {
  HealthCheckResponse as _grpc_health_v1_HealthCheckResponse,
  HealthCheckResponse__Output as _grpc_health_v1_HealthCheckResponse__Output,
} from './grpc/health/v1/HealthCheckResponse';
import type {
  BlkIOEntry as _io_containerd_cgroups_v1_BlkIOEntry,
  BlkIOEntry__Output as _io_containerd_cgroups_v1_BlkIOEntry__Output,
} from './io/containerd/cgroups/v1/BlkIOEntry';
import type {
  BlkIOStat as _io_containerd_cgroups_v1_BlkIOStat,
  BlkIOStat__Output as _io_containerd_cgroups_v1_BlkIOStat__Output,
} from './io/containerd/cgroups/v1/BlkIOStat';
import type {
  CPUStat as _io_containerd_cgroups_v1_CPUStat,
  CPUStat__Output as _io_containerd_cgroups_v1_CPUStat__Output,
} from './io/containerd/cgroups/v1/CPUStat';
import type {
  CPUUsage as _io_containerd_cgroups_v1_CPUUsage,
  CPUUsage__Output as _io_containerd_cgroups_v1_CPUUsage__Output,
} from './io/containerd/cgroups/v1/CPUUsage';
import type {
  CgroupStats as _io_containerd_cgroups_v1_CgroupStats,
  CgroupStats__Output as _io_containerd_cgroups_v1_CgroupStats__Output,
} from './io/containerd/cgroups/v1/CgroupStats';
import type {
  HugetlbStat as _io_containerd_cgroups_v1_HugetlbStat,
  HugetlbStat__Output as _io_containerd_cgroups_v1_HugetlbStat__Output,
} from './io/containerd/cgroups/v1/HugetlbStat';
import type {
  MemoryEntry as _io_containerd_cgroups_v1_MemoryEntry,
  MemoryEntry__Output as _io_containerd_cgroups_v1_MemoryEntry__Output,
} from './io/containerd/cgroups/v1/MemoryEntry';
import type {
  MemoryOomControl as _io_containerd_cgroups_v1_MemoryOomControl,
  MemoryOomControl__Output as _io_containerd_cgroups_v1_MemoryOomControl__Output,
} from './io/containerd/cgroups/v1/MemoryOomControl';
import type {
  MemoryStat as _io_containerd_cgroups_v1_MemoryStat,
  MemoryStat__Output as _io_containerd_cgroups_v1_MemoryStat__Output,
} from './io/containerd/cgroups/v1/MemoryStat';
import type {
  Metrics as _io_containerd_cgroups_v1_Metrics,
  Metrics__Output as _io_containerd_cgroups_v1_Metrics__Output,
} from './io/containerd/cgroups/v1/Metrics';
import type {
  NetworkStat as _io_containerd_cgroups_v1_NetworkStat,
  NetworkStat__Output as _io_containerd_cgroups_v1_NetworkStat__Output,
} from './io/containerd/cgroups/v1/NetworkStat';
import type {
  PidsStat as _io_containerd_cgroups_v1_PidsStat,
  PidsStat__Output as _io_containerd_cgroups_v1_PidsStat__Output,
} from './io/containerd/cgroups/v1/PidsStat';
import type {
  RdmaEntry as _io_containerd_cgroups_v1_RdmaEntry,
  RdmaEntry__Output as _io_containerd_cgroups_v1_RdmaEntry__Output,
} from './io/containerd/cgroups/v1/RdmaEntry';
import type {
  RdmaStat as _io_containerd_cgroups_v1_RdmaStat,
  RdmaStat__Output as _io_containerd_cgroups_v1_RdmaStat__Output,
} from './io/containerd/cgroups/v1/RdmaStat';
import type {
  Throttle as _io_containerd_cgroups_v1_Throttle,
  Throttle__Output as _io_containerd_cgroups_v1_Throttle__Output,
} from './io/containerd/cgroups/v1/Throttle';
import type {
  CPUStat as _io_containerd_cgroups_v2_CPUStat,
  CPUStat__Output as _io_containerd_cgroups_v2_CPUStat__Output,
} from './io/containerd/cgroups/v2/CPUStat';
import type {
  HugeTlbStat as _io_containerd_cgroups_v2_HugeTlbStat,
  HugeTlbStat__Output as _io_containerd_cgroups_v2_HugeTlbStat__Output,
} from './io/containerd/cgroups/v2/HugeTlbStat';
import type {
  IOEntry as _io_containerd_cgroups_v2_IOEntry,
  IOEntry__Output as _io_containerd_cgroups_v2_IOEntry__Output,
} from './io/containerd/cgroups/v2/IOEntry';
import type {
  IOStat as _io_containerd_cgroups_v2_IOStat,
  IOStat__Output as _io_containerd_cgroups_v2_IOStat__Output,
} from './io/containerd/cgroups/v2/IOStat';
import type {
  MemoryEvents as _io_containerd_cgroups_v2_MemoryEvents,
  MemoryEvents__Output as _io_containerd_cgroups_v2_MemoryEvents__Output,
} from './io/containerd/cgroups/v2/MemoryEvents';
import type {
  MemoryStat as _io_containerd_cgroups_v2_MemoryStat,
  MemoryStat__Output as _io_containerd_cgroups_v2_MemoryStat__Output,
} from './io/containerd/cgroups/v2/MemoryStat';
import type {
  Metrics as _io_containerd_cgroups_v2_Metrics,
  Metrics__Output as _io_containerd_cgroups_v2_Metrics__Output,
} from './io/containerd/cgroups/v2/Metrics';
import type {
  PidsStat as _io_containerd_cgroups_v2_PidsStat,
  PidsStat__Output as _io_containerd_cgroups_v2_PidsStat__Output,
} from './io/containerd/cgroups/v2/PidsStat';
import type {
  RdmaEntry as _io_containerd_cgroups_v2_RdmaEntry,
  RdmaEntry__Output as _io_containerd_cgroups_v2_RdmaEntry__Output,
} from './io/containerd/cgroups/v2/RdmaEntry';
import type {
  RdmaStat as _io_containerd_cgroups_v2_RdmaStat,
  RdmaStat__Output as _io_containerd_cgroups_v2_RdmaStat__Output,
} from './io/containerd/cgroups/v2/RdmaStat';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  containerd: {
    events: {
      ContainerCreate: MessageTypeDefinition<
        _containerd_events_ContainerCreate,
        _containerd_events_ContainerCreate__Output
      >;
      ContainerDelete: MessageTypeDefinition<
        _containerd_events_ContainerDelete,
        _containerd_events_ContainerDelete__Output
      >;
      ContainerUpdate: MessageTypeDefinition<
        _containerd_events_ContainerUpdate,
        _containerd_events_ContainerUpdate__Output
      >;
      ContentDelete: MessageTypeDefinition<
        _containerd_events_ContentDelete,
        _containerd_events_ContentDelete__Output
      >;
      NamespaceCreate: MessageTypeDefinition<
        _containerd_events_NamespaceCreate,
        _containerd_events_NamespaceCreate__Output
      >;
      NamespaceDelete: MessageTypeDefinition<
        _containerd_events_NamespaceDelete,
        _containerd_events_NamespaceDelete__Output
      >;
      NamespaceUpdate: MessageTypeDefinition<
        _containerd_events_NamespaceUpdate,
        _containerd_events_NamespaceUpdate__Output
      >;
      SnapshotCommit: MessageTypeDefinition<
        _containerd_events_SnapshotCommit,
        _containerd_events_SnapshotCommit__Output
      >;
      SnapshotPrepare: MessageTypeDefinition<
        _containerd_events_SnapshotPrepare,
        _containerd_events_SnapshotPrepare__Output
      >;
      SnapshotRemove: MessageTypeDefinition<
        _containerd_events_SnapshotRemove,
        _containerd_events_SnapshotRemove__Output
      >;
      TaskCheckpointed: MessageTypeDefinition<
        _containerd_events_TaskCheckpointed,
        _containerd_events_TaskCheckpointed__Output
      >;
      TaskCreate: MessageTypeDefinition<
        _containerd_events_TaskCreate,
        _containerd_events_TaskCreate__Output
      >;
      TaskDelete: MessageTypeDefinition<
        _containerd_events_TaskDelete,
        _containerd_events_TaskDelete__Output
      >;
      TaskExecAdded: MessageTypeDefinition<
        _containerd_events_TaskExecAdded,
        _containerd_events_TaskExecAdded__Output
      >;
      TaskExecStarted: MessageTypeDefinition<
        _containerd_events_TaskExecStarted,
        _containerd_events_TaskExecStarted__Output
      >;
      TaskExit: MessageTypeDefinition<
        _containerd_events_TaskExit,
        _containerd_events_TaskExit__Output
      >;
      TaskIO: MessageTypeDefinition<_containerd_events_TaskIO, _containerd_events_TaskIO__Output>;
      TaskOOM: MessageTypeDefinition<
        _containerd_events_TaskOOM,
        _containerd_events_TaskOOM__Output
      >;
      TaskPaused: MessageTypeDefinition<
        _containerd_events_TaskPaused,
        _containerd_events_TaskPaused__Output
      >;
      TaskResumed: MessageTypeDefinition<
        _containerd_events_TaskResumed,
        _containerd_events_TaskResumed__Output
      >;
      TaskStart: MessageTypeDefinition<
        _containerd_events_TaskStart,
        _containerd_events_TaskStart__Output
      >;
    };
    runc: {
      v1: {
        CheckpointOptions: MessageTypeDefinition<
          _containerd_runc_v1_CheckpointOptions,
          _containerd_runc_v1_CheckpointOptions__Output
        >;
        Options: MessageTypeDefinition<
          _containerd_runc_v1_Options,
          _containerd_runc_v1_Options__Output
        >;
        ProcessDetails: MessageTypeDefinition<
          _containerd_runc_v1_ProcessDetails,
          _containerd_runc_v1_ProcessDetails__Output
        >;
      };
    };
    services: {
      containers: {
        v1: {
          Container: MessageTypeDefinition<
            _containerd_services_containers_v1_Container,
            _containerd_services_containers_v1_Container__Output
          >;
          Containers: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_containers_v1_ContainersClient
          > & { service: _containerd_services_containers_v1_ContainersDefinition };
          CreateContainerRequest: MessageTypeDefinition<
            _containerd_services_containers_v1_CreateContainerRequest,
            _containerd_services_containers_v1_CreateContainerRequest__Output
          >;
          CreateContainerResponse: MessageTypeDefinition<
            _containerd_services_containers_v1_CreateContainerResponse,
            _containerd_services_containers_v1_CreateContainerResponse__Output
          >;
          DeleteContainerRequest: MessageTypeDefinition<
            _containerd_services_containers_v1_DeleteContainerRequest,
            _containerd_services_containers_v1_DeleteContainerRequest__Output
          >;
          GetContainerRequest: MessageTypeDefinition<
            _containerd_services_containers_v1_GetContainerRequest,
            _containerd_services_containers_v1_GetContainerRequest__Output
          >;
          GetContainerResponse: MessageTypeDefinition<
            _containerd_services_containers_v1_GetContainerResponse,
            _containerd_services_containers_v1_GetContainerResponse__Output
          >;
          ListContainerMessage: MessageTypeDefinition<
            _containerd_services_containers_v1_ListContainerMessage,
            _containerd_services_containers_v1_ListContainerMessage__Output
          >;
          ListContainersRequest: MessageTypeDefinition<
            _containerd_services_containers_v1_ListContainersRequest,
            _containerd_services_containers_v1_ListContainersRequest__Output
          >;
          ListContainersResponse: MessageTypeDefinition<
            _containerd_services_containers_v1_ListContainersResponse,
            _containerd_services_containers_v1_ListContainersResponse__Output
          >;
          UpdateContainerRequest: MessageTypeDefinition<
            _containerd_services_containers_v1_UpdateContainerRequest,
            _containerd_services_containers_v1_UpdateContainerRequest__Output
          >;
          UpdateContainerResponse: MessageTypeDefinition<
            _containerd_services_containers_v1_UpdateContainerResponse,
            _containerd_services_containers_v1_UpdateContainerResponse__Output
          >;
        };
      };
      content: {
        v1: {
          AbortRequest: MessageTypeDefinition<
            _containerd_services_content_v1_AbortRequest,
            _containerd_services_content_v1_AbortRequest__Output
          >;
          Content: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_content_v1_ContentClient
          > & { service: _containerd_services_content_v1_ContentDefinition };
          DeleteContentRequest: MessageTypeDefinition<
            _containerd_services_content_v1_DeleteContentRequest,
            _containerd_services_content_v1_DeleteContentRequest__Output
          >;
          Info: MessageTypeDefinition<
            _containerd_services_content_v1_Info,
            _containerd_services_content_v1_Info__Output
          >;
          InfoRequest: MessageTypeDefinition<
            _containerd_services_content_v1_InfoRequest,
            _containerd_services_content_v1_InfoRequest__Output
          >;
          InfoResponse: MessageTypeDefinition<
            _containerd_services_content_v1_InfoResponse,
            _containerd_services_content_v1_InfoResponse__Output
          >;
          ListContentRequest: MessageTypeDefinition<
            _containerd_services_content_v1_ListContentRequest,
            _containerd_services_content_v1_ListContentRequest__Output
          >;
          ListContentResponse: MessageTypeDefinition<
            _containerd_services_content_v1_ListContentResponse,
            _containerd_services_content_v1_ListContentResponse__Output
          >;
          ListStatusesRequest: MessageTypeDefinition<
            _containerd_services_content_v1_ListStatusesRequest,
            _containerd_services_content_v1_ListStatusesRequest__Output
          >;
          ListStatusesResponse: MessageTypeDefinition<
            _containerd_services_content_v1_ListStatusesResponse,
            _containerd_services_content_v1_ListStatusesResponse__Output
          >;
          ReadContentRequest: MessageTypeDefinition<
            _containerd_services_content_v1_ReadContentRequest,
            _containerd_services_content_v1_ReadContentRequest__Output
          >;
          ReadContentResponse: MessageTypeDefinition<
            _containerd_services_content_v1_ReadContentResponse,
            _containerd_services_content_v1_ReadContentResponse__Output
          >;
          Status: MessageTypeDefinition<
            _containerd_services_content_v1_Status,
            _containerd_services_content_v1_Status__Output
          >;
          StatusRequest: MessageTypeDefinition<
            _containerd_services_content_v1_StatusRequest,
            _containerd_services_content_v1_StatusRequest__Output
          >;
          StatusResponse: MessageTypeDefinition<
            _containerd_services_content_v1_StatusResponse,
            _containerd_services_content_v1_StatusResponse__Output
          >;
          UpdateRequest: MessageTypeDefinition<
            _containerd_services_content_v1_UpdateRequest,
            _containerd_services_content_v1_UpdateRequest__Output
          >;
          UpdateResponse: MessageTypeDefinition<
            _containerd_services_content_v1_UpdateResponse,
            _containerd_services_content_v1_UpdateResponse__Output
          >;
          WriteAction: EnumTypeDefinition;
          WriteContentRequest: MessageTypeDefinition<
            _containerd_services_content_v1_WriteContentRequest,
            _containerd_services_content_v1_WriteContentRequest__Output
          >;
          WriteContentResponse: MessageTypeDefinition<
            _containerd_services_content_v1_WriteContentResponse,
            _containerd_services_content_v1_WriteContentResponse__Output
          >;
        };
      };
      diff: {
        v1: {
          ApplyRequest: MessageTypeDefinition<
            _containerd_services_diff_v1_ApplyRequest,
            _containerd_services_diff_v1_ApplyRequest__Output
          >;
          ApplyResponse: MessageTypeDefinition<
            _containerd_services_diff_v1_ApplyResponse,
            _containerd_services_diff_v1_ApplyResponse__Output
          >;
          Diff: SubtypeConstructor<typeof grpc.Client, _containerd_services_diff_v1_DiffClient> & {
            service: _containerd_services_diff_v1_DiffDefinition;
          };
          DiffRequest: MessageTypeDefinition<
            _containerd_services_diff_v1_DiffRequest,
            _containerd_services_diff_v1_DiffRequest__Output
          >;
          DiffResponse: MessageTypeDefinition<
            _containerd_services_diff_v1_DiffResponse,
            _containerd_services_diff_v1_DiffResponse__Output
          >;
        };
      };
      events: {
        ttrpc: {
          v1: {
            Envelope: MessageTypeDefinition<
              _containerd_services_events_ttrpc_v1_Envelope,
              _containerd_services_events_ttrpc_v1_Envelope__Output
            >;
            Events: SubtypeConstructor<
              typeof grpc.Client,
              _containerd_services_events_ttrpc_v1_EventsClient
            > & { service: _containerd_services_events_ttrpc_v1_EventsDefinition };
            ForwardRequest: MessageTypeDefinition<
              _containerd_services_events_ttrpc_v1_ForwardRequest,
              _containerd_services_events_ttrpc_v1_ForwardRequest__Output
            >;
          };
        };
        v1: {
          Envelope: MessageTypeDefinition<
            _containerd_services_events_v1_Envelope,
            _containerd_services_events_v1_Envelope__Output
          >;
          Events: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_events_v1_EventsClient
          > & { service: _containerd_services_events_v1_EventsDefinition };
          ForwardRequest: MessageTypeDefinition<
            _containerd_services_events_v1_ForwardRequest,
            _containerd_services_events_v1_ForwardRequest__Output
          >;
          PublishRequest: MessageTypeDefinition<
            _containerd_services_events_v1_PublishRequest,
            _containerd_services_events_v1_PublishRequest__Output
          >;
          SubscribeRequest: MessageTypeDefinition<
            _containerd_services_events_v1_SubscribeRequest,
            _containerd_services_events_v1_SubscribeRequest__Output
          >;
        };
      };
      images: {
        v1: {
          CreateImageRequest: MessageTypeDefinition<
            _containerd_services_images_v1_CreateImageRequest,
            _containerd_services_images_v1_CreateImageRequest__Output
          >;
          CreateImageResponse: MessageTypeDefinition<
            _containerd_services_images_v1_CreateImageResponse,
            _containerd_services_images_v1_CreateImageResponse__Output
          >;
          DeleteImageRequest: MessageTypeDefinition<
            _containerd_services_images_v1_DeleteImageRequest,
            _containerd_services_images_v1_DeleteImageRequest__Output
          >;
          GetImageRequest: MessageTypeDefinition<
            _containerd_services_images_v1_GetImageRequest,
            _containerd_services_images_v1_GetImageRequest__Output
          >;
          GetImageResponse: MessageTypeDefinition<
            _containerd_services_images_v1_GetImageResponse,
            _containerd_services_images_v1_GetImageResponse__Output
          >;
          Image: MessageTypeDefinition<
            _containerd_services_images_v1_Image,
            _containerd_services_images_v1_Image__Output
          >;
          ImageCreate: MessageTypeDefinition<
            _containerd_services_images_v1_ImageCreate,
            _containerd_services_images_v1_ImageCreate__Output
          >;
          ImageDelete: MessageTypeDefinition<
            _containerd_services_images_v1_ImageDelete,
            _containerd_services_images_v1_ImageDelete__Output
          >;
          ImageUpdate: MessageTypeDefinition<
            _containerd_services_images_v1_ImageUpdate,
            _containerd_services_images_v1_ImageUpdate__Output
          >;
          Images: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_images_v1_ImagesClient
          > & { service: _containerd_services_images_v1_ImagesDefinition };
          ListImagesRequest: MessageTypeDefinition<
            _containerd_services_images_v1_ListImagesRequest,
            _containerd_services_images_v1_ListImagesRequest__Output
          >;
          ListImagesResponse: MessageTypeDefinition<
            _containerd_services_images_v1_ListImagesResponse,
            _containerd_services_images_v1_ListImagesResponse__Output
          >;
          UpdateImageRequest: MessageTypeDefinition<
            _containerd_services_images_v1_UpdateImageRequest,
            _containerd_services_images_v1_UpdateImageRequest__Output
          >;
          UpdateImageResponse: MessageTypeDefinition<
            _containerd_services_images_v1_UpdateImageResponse,
            _containerd_services_images_v1_UpdateImageResponse__Output
          >;
        };
      };
      introspection: {
        v1: {
          Introspection: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_introspection_v1_IntrospectionClient
          > & { service: _containerd_services_introspection_v1_IntrospectionDefinition };
          Plugin: MessageTypeDefinition<
            _containerd_services_introspection_v1_Plugin,
            _containerd_services_introspection_v1_Plugin__Output
          >;
          PluginsRequest: MessageTypeDefinition<
            _containerd_services_introspection_v1_PluginsRequest,
            _containerd_services_introspection_v1_PluginsRequest__Output
          >;
          PluginsResponse: MessageTypeDefinition<
            _containerd_services_introspection_v1_PluginsResponse,
            _containerd_services_introspection_v1_PluginsResponse__Output
          >;
          ServerResponse: MessageTypeDefinition<
            _containerd_services_introspection_v1_ServerResponse,
            _containerd_services_introspection_v1_ServerResponse__Output
          >;
        };
      };
      leases: {
        v1: {
          AddResourceRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_AddResourceRequest,
            _containerd_services_leases_v1_AddResourceRequest__Output
          >;
          CreateRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_CreateRequest,
            _containerd_services_leases_v1_CreateRequest__Output
          >;
          CreateResponse: MessageTypeDefinition<
            _containerd_services_leases_v1_CreateResponse,
            _containerd_services_leases_v1_CreateResponse__Output
          >;
          DeleteRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_DeleteRequest,
            _containerd_services_leases_v1_DeleteRequest__Output
          >;
          DeleteResourceRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_DeleteResourceRequest,
            _containerd_services_leases_v1_DeleteResourceRequest__Output
          >;
          Lease: MessageTypeDefinition<
            _containerd_services_leases_v1_Lease,
            _containerd_services_leases_v1_Lease__Output
          >;
          Leases: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_leases_v1_LeasesClient
          > & { service: _containerd_services_leases_v1_LeasesDefinition };
          ListRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_ListRequest,
            _containerd_services_leases_v1_ListRequest__Output
          >;
          ListResourcesRequest: MessageTypeDefinition<
            _containerd_services_leases_v1_ListResourcesRequest,
            _containerd_services_leases_v1_ListResourcesRequest__Output
          >;
          ListResourcesResponse: MessageTypeDefinition<
            _containerd_services_leases_v1_ListResourcesResponse,
            _containerd_services_leases_v1_ListResourcesResponse__Output
          >;
          ListResponse: MessageTypeDefinition<
            _containerd_services_leases_v1_ListResponse,
            _containerd_services_leases_v1_ListResponse__Output
          >;
          Resource: MessageTypeDefinition<
            _containerd_services_leases_v1_Resource,
            _containerd_services_leases_v1_Resource__Output
          >;
        };
      };
      namespaces: {
        v1: {
          CreateNamespaceRequest: MessageTypeDefinition<
            _containerd_services_namespaces_v1_CreateNamespaceRequest,
            _containerd_services_namespaces_v1_CreateNamespaceRequest__Output
          >;
          CreateNamespaceResponse: MessageTypeDefinition<
            _containerd_services_namespaces_v1_CreateNamespaceResponse,
            _containerd_services_namespaces_v1_CreateNamespaceResponse__Output
          >;
          DeleteNamespaceRequest: MessageTypeDefinition<
            _containerd_services_namespaces_v1_DeleteNamespaceRequest,
            _containerd_services_namespaces_v1_DeleteNamespaceRequest__Output
          >;
          GetNamespaceRequest: MessageTypeDefinition<
            _containerd_services_namespaces_v1_GetNamespaceRequest,
            _containerd_services_namespaces_v1_GetNamespaceRequest__Output
          >;
          GetNamespaceResponse: MessageTypeDefinition<
            _containerd_services_namespaces_v1_GetNamespaceResponse,
            _containerd_services_namespaces_v1_GetNamespaceResponse__Output
          >;
          ListNamespacesRequest: MessageTypeDefinition<
            _containerd_services_namespaces_v1_ListNamespacesRequest,
            _containerd_services_namespaces_v1_ListNamespacesRequest__Output
          >;
          ListNamespacesResponse: MessageTypeDefinition<
            _containerd_services_namespaces_v1_ListNamespacesResponse,
            _containerd_services_namespaces_v1_ListNamespacesResponse__Output
          >;
          Namespace: MessageTypeDefinition<
            _containerd_services_namespaces_v1_Namespace,
            _containerd_services_namespaces_v1_Namespace__Output
          >;
          Namespaces: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_namespaces_v1_NamespacesClient
          > & { service: _containerd_services_namespaces_v1_NamespacesDefinition };
          UpdateNamespaceRequest: MessageTypeDefinition<
            _containerd_services_namespaces_v1_UpdateNamespaceRequest,
            _containerd_services_namespaces_v1_UpdateNamespaceRequest__Output
          >;
          UpdateNamespaceResponse: MessageTypeDefinition<
            _containerd_services_namespaces_v1_UpdateNamespaceResponse,
            _containerd_services_namespaces_v1_UpdateNamespaceResponse__Output
          >;
        };
      };
      snapshots: {
        v1: {
          CleanupRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_CleanupRequest,
            _containerd_services_snapshots_v1_CleanupRequest__Output
          >;
          CommitSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_CommitSnapshotRequest,
            _containerd_services_snapshots_v1_CommitSnapshotRequest__Output
          >;
          Info: MessageTypeDefinition<
            _containerd_services_snapshots_v1_Info,
            _containerd_services_snapshots_v1_Info__Output
          >;
          Kind: EnumTypeDefinition;
          ListSnapshotsRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_ListSnapshotsRequest,
            _containerd_services_snapshots_v1_ListSnapshotsRequest__Output
          >;
          ListSnapshotsResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_ListSnapshotsResponse,
            _containerd_services_snapshots_v1_ListSnapshotsResponse__Output
          >;
          MountsRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_MountsRequest,
            _containerd_services_snapshots_v1_MountsRequest__Output
          >;
          MountsResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_MountsResponse,
            _containerd_services_snapshots_v1_MountsResponse__Output
          >;
          PrepareSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_PrepareSnapshotRequest,
            _containerd_services_snapshots_v1_PrepareSnapshotRequest__Output
          >;
          PrepareSnapshotResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_PrepareSnapshotResponse,
            _containerd_services_snapshots_v1_PrepareSnapshotResponse__Output
          >;
          RemoveSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_RemoveSnapshotRequest,
            _containerd_services_snapshots_v1_RemoveSnapshotRequest__Output
          >;
          Snapshots: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_snapshots_v1_SnapshotsClient
          > & { service: _containerd_services_snapshots_v1_SnapshotsDefinition };
          StatSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_StatSnapshotRequest,
            _containerd_services_snapshots_v1_StatSnapshotRequest__Output
          >;
          StatSnapshotResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_StatSnapshotResponse,
            _containerd_services_snapshots_v1_StatSnapshotResponse__Output
          >;
          UpdateSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_UpdateSnapshotRequest,
            _containerd_services_snapshots_v1_UpdateSnapshotRequest__Output
          >;
          UpdateSnapshotResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_UpdateSnapshotResponse,
            _containerd_services_snapshots_v1_UpdateSnapshotResponse__Output
          >;
          UsageRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_UsageRequest,
            _containerd_services_snapshots_v1_UsageRequest__Output
          >;
          UsageResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_UsageResponse,
            _containerd_services_snapshots_v1_UsageResponse__Output
          >;
          ViewSnapshotRequest: MessageTypeDefinition<
            _containerd_services_snapshots_v1_ViewSnapshotRequest,
            _containerd_services_snapshots_v1_ViewSnapshotRequest__Output
          >;
          ViewSnapshotResponse: MessageTypeDefinition<
            _containerd_services_snapshots_v1_ViewSnapshotResponse,
            _containerd_services_snapshots_v1_ViewSnapshotResponse__Output
          >;
        };
      };
      tasks: {
        v1: {
          CheckpointTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_CheckpointTaskRequest,
            _containerd_services_tasks_v1_CheckpointTaskRequest__Output
          >;
          CheckpointTaskResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_CheckpointTaskResponse,
            _containerd_services_tasks_v1_CheckpointTaskResponse__Output
          >;
          CloseIORequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_CloseIORequest,
            _containerd_services_tasks_v1_CloseIORequest__Output
          >;
          CreateTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_CreateTaskRequest,
            _containerd_services_tasks_v1_CreateTaskRequest__Output
          >;
          CreateTaskResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_CreateTaskResponse,
            _containerd_services_tasks_v1_CreateTaskResponse__Output
          >;
          DeleteProcessRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_DeleteProcessRequest,
            _containerd_services_tasks_v1_DeleteProcessRequest__Output
          >;
          DeleteResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_DeleteResponse,
            _containerd_services_tasks_v1_DeleteResponse__Output
          >;
          DeleteTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_DeleteTaskRequest,
            _containerd_services_tasks_v1_DeleteTaskRequest__Output
          >;
          ExecProcessRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_ExecProcessRequest,
            _containerd_services_tasks_v1_ExecProcessRequest__Output
          >;
          ExecProcessResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_ExecProcessResponse,
            _containerd_services_tasks_v1_ExecProcessResponse__Output
          >;
          GetRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_GetRequest,
            _containerd_services_tasks_v1_GetRequest__Output
          >;
          GetResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_GetResponse,
            _containerd_services_tasks_v1_GetResponse__Output
          >;
          KillRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_KillRequest,
            _containerd_services_tasks_v1_KillRequest__Output
          >;
          ListPidsRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_ListPidsRequest,
            _containerd_services_tasks_v1_ListPidsRequest__Output
          >;
          ListPidsResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_ListPidsResponse,
            _containerd_services_tasks_v1_ListPidsResponse__Output
          >;
          ListTasksRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_ListTasksRequest,
            _containerd_services_tasks_v1_ListTasksRequest__Output
          >;
          ListTasksResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_ListTasksResponse,
            _containerd_services_tasks_v1_ListTasksResponse__Output
          >;
          MetricsRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_MetricsRequest,
            _containerd_services_tasks_v1_MetricsRequest__Output
          >;
          MetricsResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_MetricsResponse,
            _containerd_services_tasks_v1_MetricsResponse__Output
          >;
          PauseTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_PauseTaskRequest,
            _containerd_services_tasks_v1_PauseTaskRequest__Output
          >;
          ResizePtyRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_ResizePtyRequest,
            _containerd_services_tasks_v1_ResizePtyRequest__Output
          >;
          ResumeTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_ResumeTaskRequest,
            _containerd_services_tasks_v1_ResumeTaskRequest__Output
          >;
          StartRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_StartRequest,
            _containerd_services_tasks_v1_StartRequest__Output
          >;
          StartResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_StartResponse,
            _containerd_services_tasks_v1_StartResponse__Output
          >;
          Tasks: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_tasks_v1_TasksClient
          > & { service: _containerd_services_tasks_v1_TasksDefinition };
          UpdateTaskRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_UpdateTaskRequest,
            _containerd_services_tasks_v1_UpdateTaskRequest__Output
          >;
          WaitRequest: MessageTypeDefinition<
            _containerd_services_tasks_v1_WaitRequest,
            _containerd_services_tasks_v1_WaitRequest__Output
          >;
          WaitResponse: MessageTypeDefinition<
            _containerd_services_tasks_v1_WaitResponse,
            _containerd_services_tasks_v1_WaitResponse__Output
          >;
        };
      };
      version: {
        v1: {
          Version: SubtypeConstructor<
            typeof grpc.Client,
            _containerd_services_version_v1_VersionClient
          > & { service: _containerd_services_version_v1_VersionDefinition };
          VersionResponse: MessageTypeDefinition<
            _containerd_services_version_v1_VersionResponse,
            _containerd_services_version_v1_VersionResponse__Output
          >;
        };
      };
    };
    task: {
      v2: {
        CheckpointTaskRequest: MessageTypeDefinition<
          _containerd_task_v2_CheckpointTaskRequest,
          _containerd_task_v2_CheckpointTaskRequest__Output
        >;
        CloseIORequest: MessageTypeDefinition<
          _containerd_task_v2_CloseIORequest,
          _containerd_task_v2_CloseIORequest__Output
        >;
        ConnectRequest: MessageTypeDefinition<
          _containerd_task_v2_ConnectRequest,
          _containerd_task_v2_ConnectRequest__Output
        >;
        ConnectResponse: MessageTypeDefinition<
          _containerd_task_v2_ConnectResponse,
          _containerd_task_v2_ConnectResponse__Output
        >;
        CreateTaskRequest: MessageTypeDefinition<
          _containerd_task_v2_CreateTaskRequest,
          _containerd_task_v2_CreateTaskRequest__Output
        >;
        CreateTaskResponse: MessageTypeDefinition<
          _containerd_task_v2_CreateTaskResponse,
          _containerd_task_v2_CreateTaskResponse__Output
        >;
        DeleteRequest: MessageTypeDefinition<
          _containerd_task_v2_DeleteRequest,
          _containerd_task_v2_DeleteRequest__Output
        >;
        DeleteResponse: MessageTypeDefinition<
          _containerd_task_v2_DeleteResponse,
          _containerd_task_v2_DeleteResponse__Output
        >;
        ExecProcessRequest: MessageTypeDefinition<
          _containerd_task_v2_ExecProcessRequest,
          _containerd_task_v2_ExecProcessRequest__Output
        >;
        ExecProcessResponse: MessageTypeDefinition<
          _containerd_task_v2_ExecProcessResponse,
          _containerd_task_v2_ExecProcessResponse__Output
        >;
        KillRequest: MessageTypeDefinition<
          _containerd_task_v2_KillRequest,
          _containerd_task_v2_KillRequest__Output
        >;
        PauseRequest: MessageTypeDefinition<
          _containerd_task_v2_PauseRequest,
          _containerd_task_v2_PauseRequest__Output
        >;
        PidsRequest: MessageTypeDefinition<
          _containerd_task_v2_PidsRequest,
          _containerd_task_v2_PidsRequest__Output
        >;
        PidsResponse: MessageTypeDefinition<
          _containerd_task_v2_PidsResponse,
          _containerd_task_v2_PidsResponse__Output
        >;
        ResizePtyRequest: MessageTypeDefinition<
          _containerd_task_v2_ResizePtyRequest,
          _containerd_task_v2_ResizePtyRequest__Output
        >;
        ResumeRequest: MessageTypeDefinition<
          _containerd_task_v2_ResumeRequest,
          _containerd_task_v2_ResumeRequest__Output
        >;
        ShutdownRequest: MessageTypeDefinition<
          _containerd_task_v2_ShutdownRequest,
          _containerd_task_v2_ShutdownRequest__Output
        >;
        StartRequest: MessageTypeDefinition<
          _containerd_task_v2_StartRequest,
          _containerd_task_v2_StartRequest__Output
        >;
        StartResponse: MessageTypeDefinition<
          _containerd_task_v2_StartResponse,
          _containerd_task_v2_StartResponse__Output
        >;
        StateRequest: MessageTypeDefinition<
          _containerd_task_v2_StateRequest,
          _containerd_task_v2_StateRequest__Output
        >;
        StateResponse: MessageTypeDefinition<
          _containerd_task_v2_StateResponse,
          _containerd_task_v2_StateResponse__Output
        >;
        StatsRequest: MessageTypeDefinition<
          _containerd_task_v2_StatsRequest,
          _containerd_task_v2_StatsRequest__Output
        >;
        StatsResponse: MessageTypeDefinition<
          _containerd_task_v2_StatsResponse,
          _containerd_task_v2_StatsResponse__Output
        >;
        Task: SubtypeConstructor<typeof grpc.Client, _containerd_task_v2_TaskClient> & {
          service: _containerd_task_v2_TaskDefinition;
        };
        UpdateTaskRequest: MessageTypeDefinition<
          _containerd_task_v2_UpdateTaskRequest,
          _containerd_task_v2_UpdateTaskRequest__Output
        >;
        WaitRequest: MessageTypeDefinition<
          _containerd_task_v2_WaitRequest,
          _containerd_task_v2_WaitRequest__Output
        >;
        WaitResponse: MessageTypeDefinition<
          _containerd_task_v2_WaitResponse,
          _containerd_task_v2_WaitResponse__Output
        >;
      };
    };
    types: {
      Descriptor: MessageTypeDefinition<
        _containerd_types_Descriptor,
        _containerd_types_Descriptor__Output
      >;
      Metric: MessageTypeDefinition<_containerd_types_Metric, _containerd_types_Metric__Output>;
      Mount: MessageTypeDefinition<_containerd_types_Mount, _containerd_types_Mount__Output>;
      Platform: MessageTypeDefinition<
        _containerd_types_Platform,
        _containerd_types_Platform__Output
      >;
    };
    v1: {
      types: {
        Process: MessageTypeDefinition<
          _containerd_v1_types_Process,
          _containerd_v1_types_Process__Output
        >;
        ProcessInfo: MessageTypeDefinition<
          _containerd_v1_types_ProcessInfo,
          _containerd_v1_types_ProcessInfo__Output
        >;
        Status: EnumTypeDefinition;
      };
    };
  };
  google: {
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>;
      Empty: MessageTypeDefinition<_google_protobuf_Empty, _google_protobuf_Empty__Output>;
      FieldMask: MessageTypeDefinition<
        _google_protobuf_FieldMask,
        _google_protobuf_FieldMask__Output
      >;
      Timestamp: MessageTypeDefinition<
        _google_protobuf_Timestamp,
        _google_protobuf_Timestamp__Output
      >;
    };
    rpc: {
      Status: MessageTypeDefinition<_google_rpc_Status, _google_rpc_Status__Output>;
    };
  };
  grpc: {
    health: {
      v1: {
        Health: SubtypeConstructor<typeof grpc.Client, _grpc_health_v1_HealthClient> & {
          service: _grpc_health_v1_HealthDefinition;
        };
        HealthCheckRequest: MessageTypeDefinition<
          _grpc_health_v1_HealthCheckRequest,
          _grpc_health_v1_HealthCheckRequest__Output
        >;
        HealthCheckResponse: MessageTypeDefinition<
          _grpc_health_v1_HealthCheckResponse,
          _grpc_health_v1_HealthCheckResponse__Output
        >;
      };
    };
  };
  io: {
    containerd: {
      cgroups: {
        v1: {
          BlkIOEntry: MessageTypeDefinition<
            _io_containerd_cgroups_v1_BlkIOEntry,
            _io_containerd_cgroups_v1_BlkIOEntry__Output
          >;
          BlkIOStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_BlkIOStat,
            _io_containerd_cgroups_v1_BlkIOStat__Output
          >;
          CPUStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_CPUStat,
            _io_containerd_cgroups_v1_CPUStat__Output
          >;
          CPUUsage: MessageTypeDefinition<
            _io_containerd_cgroups_v1_CPUUsage,
            _io_containerd_cgroups_v1_CPUUsage__Output
          >;
          CgroupStats: MessageTypeDefinition<
            _io_containerd_cgroups_v1_CgroupStats,
            _io_containerd_cgroups_v1_CgroupStats__Output
          >;
          HugetlbStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_HugetlbStat,
            _io_containerd_cgroups_v1_HugetlbStat__Output
          >;
          MemoryEntry: MessageTypeDefinition<
            _io_containerd_cgroups_v1_MemoryEntry,
            _io_containerd_cgroups_v1_MemoryEntry__Output
          >;
          MemoryOomControl: MessageTypeDefinition<
            _io_containerd_cgroups_v1_MemoryOomControl,
            _io_containerd_cgroups_v1_MemoryOomControl__Output
          >;
          MemoryStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_MemoryStat,
            _io_containerd_cgroups_v1_MemoryStat__Output
          >;
          Metrics: MessageTypeDefinition<
            _io_containerd_cgroups_v1_Metrics,
            _io_containerd_cgroups_v1_Metrics__Output
          >;
          NetworkStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_NetworkStat,
            _io_containerd_cgroups_v1_NetworkStat__Output
          >;
          PidsStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_PidsStat,
            _io_containerd_cgroups_v1_PidsStat__Output
          >;
          RdmaEntry: MessageTypeDefinition<
            _io_containerd_cgroups_v1_RdmaEntry,
            _io_containerd_cgroups_v1_RdmaEntry__Output
          >;
          RdmaStat: MessageTypeDefinition<
            _io_containerd_cgroups_v1_RdmaStat,
            _io_containerd_cgroups_v1_RdmaStat__Output
          >;
          Throttle: MessageTypeDefinition<
            _io_containerd_cgroups_v1_Throttle,
            _io_containerd_cgroups_v1_Throttle__Output
          >;
        };
        v2: {
          CPUStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_CPUStat,
            _io_containerd_cgroups_v2_CPUStat__Output
          >;
          HugeTlbStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_HugeTlbStat,
            _io_containerd_cgroups_v2_HugeTlbStat__Output
          >;
          IOEntry: MessageTypeDefinition<
            _io_containerd_cgroups_v2_IOEntry,
            _io_containerd_cgroups_v2_IOEntry__Output
          >;
          IOStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_IOStat,
            _io_containerd_cgroups_v2_IOStat__Output
          >;
          MemoryEvents: MessageTypeDefinition<
            _io_containerd_cgroups_v2_MemoryEvents,
            _io_containerd_cgroups_v2_MemoryEvents__Output
          >;
          MemoryStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_MemoryStat,
            _io_containerd_cgroups_v2_MemoryStat__Output
          >;
          Metrics: MessageTypeDefinition<
            _io_containerd_cgroups_v2_Metrics,
            _io_containerd_cgroups_v2_Metrics__Output
          >;
          PidsStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_PidsStat,
            _io_containerd_cgroups_v2_PidsStat__Output
          >;
          RdmaEntry: MessageTypeDefinition<
            _io_containerd_cgroups_v2_RdmaEntry,
            _io_containerd_cgroups_v2_RdmaEntry__Output
          >;
          RdmaStat: MessageTypeDefinition<
            _io_containerd_cgroups_v2_RdmaStat,
            _io_containerd_cgroups_v2_RdmaStat__Output
          >;
        };
      };
    };
  };
}
