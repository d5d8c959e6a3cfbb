// One server span per request, child of the caller's W3C trace context, named
// registry.<operation> once the route is known.
import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const tracer = trace.getTracer('berth-registry');
const spans = new WeakMap<FastifyRequest, Span>();

export function nameOperation(req: FastifyRequest, operation: string): void {
  spans.get(req)?.updateName(`registry.${operation}`);
}

export function registerTracing(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      'registry.request',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.url.split('?')[0] },
      },
      parent,
    );
    spans.set(req, span);
  });
  app.addHook('onResponse', async (req, reply) => {
    const span = spans.get(req);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
