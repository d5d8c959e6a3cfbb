import { Server, ServerCredentials, loadPackageDefinition, type GrpcObject } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from './helpers/telemetry';

// Decoded the way a collector decodes it, for all three OTLP transports.
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  statusCode: number;
}
interface Received {
  serviceName: string | undefined;
  spans: ReceivedSpan[];
}

const proto = loadSync(join(import.meta.dirname, 'fixtures', 'otlp-trace.proto'), {
  longs: String,
  enums: Number,
  defaults: true,
  oneofs: true,
});
const pkg = loadPackageDefinition(proto) as unknown as {
  opentelemetry: { proto: { collector: { trace: { v1: GrpcObject } } } };
};
const traceService = pkg.opentelemetry.proto.collector.trace.v1.TraceService as unknown as {
  service: { Export: { requestDeserialize(buf: Buffer): ProtoRequest } };
};

interface ProtoKeyValue {
  key: string;
  value: { stringValue?: string };
}
interface ProtoRequest {
  resourceSpans: {
    resource: { attributes: ProtoKeyValue[] };
    scopeSpans: {
      spans: {
        traceId: Buffer;
        spanId: Buffer;
        parentSpanId: Buffer;
        name: string;
        kind: number;
        startTimeUnixNano: string;
        status: { code: number } | null;
      }[];
    }[];
  }[];
}

function fromProto(req: ProtoRequest): Received[] {
  return req.resourceSpans.map((rs) => ({
    serviceName: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
    spans: rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        traceId: s.traceId.toString('hex'),
        spanId: s.spanId.toString('hex'),
        parentSpanId: s.parentSpanId.toString('hex'),
        name: s.name,
        kind: s.kind,
        startTimeUnixNano: s.startTimeUnixNano,
        statusCode: s.status?.code ?? 0,
      })),
    ),
  }));
}

interface JsonRequest {
  resourceSpans: {
    resource: { attributes: ProtoKeyValue[] };
    scopeSpans: {
      spans: (Omit<ReceivedSpan, 'statusCode' | 'startTimeUnixNano' | 'parentSpanId'> & {
        parentSpanId?: string;
        startTimeUnixNano: string | number;
        status: { code?: number };
      })[];
    }[];
  }[];
}

function fromJson(req: JsonRequest): Received[] {
  return req.resourceSpans.map((rs) => ({
    serviceName: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
    spans: rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind,
        startTimeUnixNano: String(s.startTimeUnixNano),
        statusCode: s.status.code ?? 0,
      })),
    ),
  }));
}

interface Receiver {
  endpoint: string;
  received: Received[];
  paths: string[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function httpReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const paths: string[] = [];
  const server: HttpServer = createServer((req, res) => {
    void body(req).then((buf) => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.headers['content-type'] === 'application/json') {
        received.push(...fromJson(JSON.parse(buf.toString()) as JsonRequest));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        received.push(...fromProto(traceService.service.Export.requestDeserialize(buf)));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function grpcReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const paths: string[] = [];
  const server = new Server();
  server.addService(
    (traceService as unknown as { service: Parameters<Server['addService']>[0] }).service,
    {
      export(call: { request: ProtoRequest }, callback: (err: null, res: object) => void) {
        paths.push('grpc Export');
        received.push(...fromProto(call.request));
        callback(null, {});
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    paths,
    close: async () => void server.forceShutdown(),
  };
}

describe('OTLP export', () => {
  const saved = { ...process.env };
  let telemetry: TestTelemetry | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await telemetry?.stop();
    await receiver?.close();
    process.env = { ...saved };
  });

  it.each([
    ['http/json', httpReceiver, 'POST /v1/traces application/json'],
    ['http/protobuf', httpReceiver, 'POST /v1/traces application/x-protobuf'],
    ['grpc', grpcReceiver, 'grpc Export'],
  ] as const)(
    'sends spans over %s when OTEL_EXPORTER_OTLP_ENDPOINT is set',
    async (protocol, start, path) => {
      receiver = await start();
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
      process.env.OTEL_EXPORTER_OTLP_PROTOCOL = protocol;
      telemetry = await startTestTelemetry('exported');
      const tracer = trace.getTracer('berth-exported');
      const parent = tracer.startSpan('exported.request', { kind: SpanKind.SERVER });
      const child = tracer.startSpan('exported.step', {}, trace.setSpan(ROOT_CONTEXT, parent));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      child.end();
      parent.end();
      await telemetry.handle.flush();

      expect(receiver.paths).toEqual([path]);
      expect(receiver.received).toHaveLength(1);
      const [batch] = receiver.received;
      expect(batch!.serviceName).toBe('berth-exported');
      const byName = new Map(batch!.spans.map((s) => [s.name, s]));
      const { traceId, spanId } = parent.spanContext();
      expect(byName.get('exported.request')).toMatchObject({
        traceId,
        spanId,
        parentSpanId: '',
        kind: 2,
      });
      expect(byName.get('exported.step')).toMatchObject({
        traceId,
        parentSpanId: spanId,
        kind: 1,
        statusCode: 2,
      });
      // The collector receives the same spans the embedded store keeps.
      const stored = (await telemetry.spans()).find((s) => s.name === 'exported.step')!;
      expect(byName.get('exported.step')!.startTimeUnixNano).toBe(stored.startTimeUnixNano);
    },
  );

  it('keeps the service running and the store complete when the collector is down', async () => {
    receiver = await httpReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '500';
    process.env.BERTH_LOG_LEVEL = 'error'; // the expected export-failure warning
    await receiver.close(); // nothing listens on the endpoint any more
    telemetry = await startTestTelemetry('orphan');
    trace.getTracer('berth-orphan').startSpan('orphan.op').end();
    await telemetry.handle.flush();
    expect((await telemetry.spans()).map((s) => s.name)).toEqual(['orphan.op']);
  });
});
