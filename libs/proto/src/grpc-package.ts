import { DESCRIPTOR_BUNDLE } from './descriptor-bundle';
import type { ProtoGrpcType } from './generated/berth';
import { LOADER_OPTIONS } from './loader-options';

let grpcPackage: Promise<ProtoGrpcType> | undefined;

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
    import('@grpc/grpc-js'),
    import('@grpc/proto-loader'),
  ]);
  const definition = protoLoader.fromJSON(DESCRIPTOR_BUNDLE, LOADER_OPTIONS);
  // The generated ProtoGrpcType describes exactly what loadPackageDefinition builds.
  return grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
}
