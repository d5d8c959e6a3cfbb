import type * as GrpcJs from '@grpc/grpc-js';
import { DESCRIPTOR_BUNDLE } from './descriptor-bundle';
import type { ProtoGrpcType } from './generated/berth';
import { LOADER_OPTIONS } from './loader-options';

let grpcPackage: Promise<ProtoGrpcType> | undefined;

/**
 * @grpc/grpc-js, imported on first use so that processes that never speak gRPC do not pay
 * for loading it. Services take grpc-js from here rather than importing it themselves.
 */
export function loadGrpcJs(): Promise<typeof GrpcJs> {
  return commonJs(import('@grpc/grpc-js'));
}

// grpc-js and proto-loader are CommonJS: in a bundle with code splitting, esbuild hands a
// dynamic import only module.exports, as `default` (Node's own loader provides it too).
async function commonJs<T extends object>(module: Promise<T>): Promise<T> {
  const m = await module;
  return (m as T & { default?: T }).default ?? m;
}

/**
 * The grpc-js package object for every service and message of proto/, e.g.
 * `(await loadGrpcPackage()).containerd.services.version.v1.Version` is a client
 * constructor whose `.service` a server registers. grpc-js and proto-loader are imported
 * on first call, keeping them off the start path of processes that never speak gRPC.
 */
export function loadGrpcPackage(): Promise<ProtoGrpcType> {
  grpcPackage ??= buildGrpcPackage();
  return grpcPackage;
}

async function buildGrpcPackage(): Promise<ProtoGrpcType> {
  const [grpc, protoLoader] = await Promise.all([
    loadGrpcJs(),
    commonJs(import('@grpc/proto-loader')),
  ]);
  const definition = protoLoader.fromJSON(DESCRIPTOR_BUNDLE, LOADER_OPTIONS);
  // The generated ProtoGrpcType describes exactly what loadPackageDefinition builds.
  return grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
}
