export { loadGrpcJs, loadGrpcPackage } from './grpc-package';
export { protoRoot } from './proto-root';
export { packAny, unpackAny } from './any';
export type { PackedAny } from './any';
export { LOADER_OPTIONS } from './loader-options';
export type { ProtoGrpcType } from './generated/berth';
/** Every message, enum and service type by proto full name, e.g. containerd.task.v2.StateResponse. */
export type * from './generated/types';
