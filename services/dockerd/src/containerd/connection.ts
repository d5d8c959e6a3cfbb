// dockerd's side of the dockerd → containerd boundary: gRPC clients for containerd's v1
// services over its unix socket, every call in Docker's containerd namespace ("moby").
// Works against berth-containerd and upstream containerd alike.
import type * as grpc from '@grpc/grpc-js';
import type { Context } from '@opentelemetry/api';
import { loadGrpcJs, loadGrpcPackage, type ProtoGrpcType } from '@berth/proto';
import { injectGrpcMetadata } from '@berth/telemetry';

/** The containerd namespace Docker keeps its images and containers in. */
export const DOCKER_NAMESPACE = 'moby';

type Services = ProtoGrpcType['containerd']['services'];

/** The containerd services dockerd speaks to, by short name. */
export type ServiceName =
  | 'version'
  | 'content'
  | 'images'
  | 'snapshots'
  | 'diff'
  | 'leases'
  | 'containers'
  | 'tasks'
  | 'events'
  | 'introspection';

type ClientConstructor = new (
  target: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
) => grpc.Client;

function constructors(services: Services): Record<ServiceName, ClientConstructor> {
  return {
    version: services.version.v1.Version,
    content: services.content.v1.Content,
    images: services.images.v1.Images,
    snapshots: services.snapshots.v1.Snapshots,
    diff: services.diff.v1.Diff,
    leases: services.leases.v1.Leases,
    containers: services.containers.v1.Containers,
    tasks: services.tasks.v1.Tasks,
    events: services.events.v1.Events,
    introspection: services.introspection.v1.Introspection,
  };
}

export interface CallOptions {
  /** Resources created by the call are held by this lease (containerd-lease metadata). */
  lease?: string;
  /** Default 30 s; 0 waits forever (Tasks.Wait). */
  deadlineMs?: number;
  /** The trace the call belongs to (dockerd hands contexts down: see berth-dockerd.ts). */
  trace?: Context;
}

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => void;
type StreamMethod = (...args: unknown[]) => grpc.ClientDuplexStream<unknown, unknown>;

export interface ContainerdConnection {
  call<Res = Record<string, unknown>>(
    service: ServiceName,
    method: string,
    request: object,
    options?: CallOptions,
  ): Promise<Res>;
  /** A bidirectional stream (Content.Write). */
  duplex(
    service: ServiceName,
    method: string,
    options?: CallOptions,
  ): grpc.ClientDuplexStream<object, Record<string, unknown>>;
  /** A server stream (Content.Read), as an async iterable of messages. */
  serverStream<Res = Record<string, unknown>>(
    service: ServiceName,
    method: string,
    request: object,
    options?: CallOptions,
  ): AsyncIterable<Res>;
  version(): Promise<{ version: string; revision: string }>;
  /** This connection with every call made part of the trace `trace`. */
  tracing(trace: Context): ContainerdConnection;
  close(): void;
}

/** gRPC status codes dockerd reacts to. */
export const GrpcCode = { NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9 } as const;

export function grpcCode(err: unknown): number | undefined {
  return (err as { code?: number } | null)?.code;
}

export async function connectContainerd(
  socketPath: string,
  namespace = DOCKER_NAMESPACE,
): Promise<ContainerdConnection> {
  const [grpcJs, pkg] = await Promise.all([loadGrpcJs(), loadGrpcPackage()]);
  const target = `unix://${socketPath}`;
  const credentials = grpcJs.credentials.createInsecure();
  // One channel shared by every service client: the services are multiplexed over it.
  const ctors = constructors(pkg.containerd.services);
  // Content.Read streams whole layers (docker save, image export): HTTP/2's default 64 KiB
  // receive window would make containerd wait for this event loop every 32 KiB.
  const first = new ctors.version(target, credentials, {
    'grpc-node.flow_control_window': 8 << 20,
  });
  const shared: grpc.ClientOptions = { channelOverride: first.getChannel() };
  const clients = Object.fromEntries(
    (Object.keys(ctors) as ServiceName[]).map((name) => [
      name,
      name === 'version' ? first : new ctors[name](target, credentials, shared),
    ]),
  ) as Record<ServiceName, grpc.Client>;

  const metadataFor = (options: CallOptions) => {
    const metadata = new grpcJs.Metadata();
    metadata.set('containerd-namespace', namespace);
    if (options.lease) metadata.set('containerd-lease', options.lease);
    return injectGrpcMetadata(metadata, options.trace); // the active context when none given
  };
  const callOptions = (options: CallOptions): grpc.CallOptions => {
    const ms = options.deadlineMs ?? 30_000;
    return ms === 0 ? {} : { deadline: Date.now() + ms };
  };
  const method = <F>(service: ServiceName, name: string): F => {
    const client = clients[service];
    const fn = (client as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new Error(`containerd ${service} has no method ${name}`);
    return (fn as (...args: unknown[]) => unknown).bind(client) as F;
  };

  const call: ContainerdConnection['call'] = (service, name, request, options = {}) =>
    new Promise((resolve, reject) => {
      method<UnaryMethod>(service, name)(
        request,
        metadataFor(options),
        callOptions(options),
        (err, res) => (err ? reject(err) : resolve(res as never)),
      );
    });

  const connection = (trace: Context | undefined): ContainerdConnection => ({
    call: (service, name, request, options = {}) =>
      call(service, name, request, { trace, ...options }),
    duplex: (service, name, options = {}) =>
      method<StreamMethod>(service, name)(
        metadataFor({ trace, ...options }),
        callOptions(options),
      ) as never,
    serverStream: (service, name, request, options = {}) =>
      method<StreamMethod>(service, name)(
        request,
        metadataFor({ trace, ...options }),
        callOptions(options),
      ) as never,
    async version() {
      const res = await call<{ version: string; revision: string }>('version', 'Version', {});
      return { version: res.version, revision: res.revision };
    },
    tracing: (next) => connection(next),
    close() {
      for (const c of Object.values(clients)) c.close();
    },
  });
  return connection(undefined);
}
