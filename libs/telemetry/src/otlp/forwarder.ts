import type { OtlpProtocol } from '../config';
import type { Attributes, FinishedSpan, SpanSink } from '../record';
import type { OtlpExport } from './export';

const MAX_QUEUED_SPANS = 2048;
const EXPORT_DELAY_MS = 1000;

/**
 * Sends spans to an OTLP collector. The exporter (and the OpenTelemetry SDK pieces it needs,
 * 20-45 ms to load even bundled) is imported on the first export, a second after the first
 * span ends, never on the start path. Spans that end before it is loaded wait in a bounded
 * queue; when the collector is slower than the service the oldest queued spans are dropped.
 */
export class OtlpForwarder implements SpanSink {
  private queue: FinishedSpan[] = [];
  private exporter: Promise<OtlpExport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly protocol: OtlpProtocol,
    private readonly resource: Attributes,
    private readonly onError: (err: Error) => void,
  ) {}

  onEnd(span: FinishedSpan): void {
    if (this.queue.length >= MAX_QUEUED_SPANS) this.queue.shift();
    this.queue.push(span);
    this.timer ??= setTimeout(() => void this.exportQueued(), EXPORT_DELAY_MS).unref();
  }

  async flush(): Promise<void> {
    await this.exportQueued();
    await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    await this.flush();
    if (this.exporter) await (await this.exporter).shutdown().catch(this.onError);
  }

  private exportQueued(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    const sent = this.load()
      .then((exporter) => exporter.export(batch.map((span) => span.stored())))
      .catch(this.onError)
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
    return sent;
  }

  private load(): Promise<OtlpExport> {
    this.exporter ??= import('./export').then((m) =>
      m.createOtlpExport(this.protocol, this.resource),
    );
    return this.exporter;
  }
}
