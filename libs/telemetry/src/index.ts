export { createLogger, type LoggerOptions } from './logger';
export { startTelemetry, type TelemetryHandle } from './telemetry';
export { DEFAULT_TRACE_DIR, DEFAULT_TRACE_MAX_BYTES, type TelemetryOptions } from './config';
export {
  contextFromEnv,
  contextFromGrpcMetadata,
  contextFromHeaders,
  envWithTraceContext,
  injectGrpcMetadata,
  injectHeaders,
  type HeaderCarrier,
  type MetadataReader,
  type MetadataWriter,
} from './propagation';
export { recordExternalSpans, withSpan, withSpanOptions, type ExternalSpan } from './spans';
export { recordProcessSpan, type ProcessSpan } from './oneshot';
export { readSpans, type ReadSpansOptions } from './store/reader';
export { TraceStoreWriter, type TraceStoreOptions } from './store/writer';
export { finished } from './record';
export type {
  FinishedSpan,
  OtlpSpanKind,
  StoredEvent,
  StoredLink,
  StoredSpan,
  StoredStatus,
  SpanSink,
} from './record';
