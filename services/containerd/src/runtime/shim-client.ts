import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { LOADER_OPTIONS, protoRoot } from '@berth/proto';
import type { TtrpcClient } from '@berth/ttrpc';

const SERVICE = 'containerd.task.v2.Task';
const CALL_TIMEOUT_MS = 60_000;

export type Message = Record<string, unknown>;

/** A connected shim: typed containerd.task.v2.Task calls over ttrpc, namespaced like upstream. */
export class ShimClient {
  constructor(
    private readonly client: TtrpcClient,
    readonly namespace: string,
  ) {}

  /** Resolves when the shim's connection closes (the shim exited or was shut down). */
  get closed(): Promise<void> {
    return this.client.closed;
  }

  /**
   * Calls `method` with a containerd.task.v2 request, as part of the trace `trace` (the
   * containerd call's; none for the daemon's own calls). Wait blocks until the process exits,
   * so it alone runs without a deadline.
   */
  async call(
    method: string,
    requestType: string,
    request: Message,
    responseType?: string,
    trace: Context = ROOT_CONTEXT,
  ) {
    const reqType = protoRoot().lookupType(`containerd.task.v2.${requestType}`);
    const payload = reqType.encode(reqType.fromObject(request)).finish();
    const out = await this.client.call(SERVICE, method, payload, {
      metadata: { 'containerd-namespace-ttrpc': [this.namespace] },
      timeoutMs: method === 'Wait' ? 0 : CALL_TIMEOUT_MS,
      trace,
    });
    const resType = protoRoot().lookupType(
      responseType ? `containerd.task.v2.${responseType}` : 'google.protobuf.Empty',
    );
    return resType.toObject(resType.decode(out), LOADER_OPTIONS) as Message;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
