import type { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session } from 'node:http2';

/** How much one call may send before this server reads it: eight of ctr's 1 MiB chunks. */
export const STREAM_WINDOW = 8 << 20;
/** The bound for all calls of one connection: what one client can make the daemon buffer. */
export const CONNECTION_WINDOW = 32 << 20;

// grpc-js servers keep HTTP/2's default 64 KiB receive windows (a server-side
// `grpc-node.flow_control_window` is grpc/grpc-node#3058, not merged). ctr sends every blob
// of a pull as 1 MiB Content.Write messages and waits for each answer, so each chunk waited
// for about sixteen WINDOW_UPDATEs from this event loop: a 256 MiB layer arrived at the
// window's pace (0.6 s of a 2.6 s pull; Go's gRPC grows its windows to 16 MiB by BDP
// estimation). Until grpc-js has the option, this reaches into two of its private fields;
// http2-windows.test.ts fails if an upgrade moves them.
interface GrpcJsServerInternals {
  commonServerOptions: { settings?: Record<string, unknown> };
  http2Servers: Map<Http2Server, unknown>;
}

/** server.bindAsync on a server's one address, with every connection's receive windows widened. */
export async function bindWithWideWindows(
  server: Server,
  address: string,
  credentials: ServerCredentials,
): Promise<void> {
  const internals = server as unknown as GrpcJsServerInternals;
  const options = internals.commonServerOptions;
  if (!options || !(internals.http2Servers instanceof Map))
    throw new Error('@grpc/grpc-js internals changed: cannot widen HTTP/2 windows');
  // Read when bindAsync creates the HTTP/2 server: advertised in every connection's SETTINGS.
  options.settings = { ...options.settings, initialWindowSize: STREAM_WINDOW };
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(address, credentials, (err) => (err ? reject(err) : resolve())),
  );
  for (const http2Server of internals.http2Servers.keys()) {
    http2Server.on('session', (session: ServerHttp2Session) =>
      session.setLocalWindowSize(CONNECTION_WINDOW),
    );
  }
}
