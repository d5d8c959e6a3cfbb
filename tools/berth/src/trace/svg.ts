import { describeGap } from './coverage';
import { formatMs, formatPercent } from './format';
import { serviceColour } from './palette';
import type { ShowReport } from './show';

const WIDTH = 1200;
const LABEL_WIDTH = 360;
const DURATION_ROOM = 80;
const ROW = 22;
const HEADER = 64;
const AXIS = 24;
const FONT = 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A 1-2-5 step giving about `target` ticks over `extent`. */
export function tickStep(extent: number, target = 8): number {
  if (!(extent > 0)) return 1;
  const raw = extent / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= raw)!;
  return step * magnitude;
}

/** A self-contained SVG waterfall: one row per span, unexplained gaps shaded red. */
export function renderSvg(report: ShowReport): string {
  const { summary, coverage, spans } = report;
  const barLeft = LABEL_WIDTH;
  const barWidth = WIDTH - LABEL_WIDTH - DURATION_ROOM - 10;
  const extentMs = Math.max(1e-6, ...spans.map((s) => s.startOffsetMs + s.durationMs));
  const x = (ms: number) => barLeft + (ms / extentMs) * barWidth;
  const rowsTop = HEADER + AXIS;
  const legendTop = rowsTop + spans.length * ROW + 16;
  const services = [...new Set(spans.map((s) => s.service))];
  const height = legendTop + 28;
  // Gaps are measured from the root's start, bars from the trace's first span.
  const rootOffset = spans[0]?.startOffsetMs ?? 0;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" xml:space="preserve" ${FONT} font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(summary.rootName)}  ${formatMs(summary.totalMs)}</text>`,
    `<text x="10" y="42">${escapeXml(
      `trace ${summary.traceId}  ${summary.start}  ${summary.spanCount} spans  coverage ${formatPercent(coverage.ratio)}`,
    )}</text>`,
    `<text x="10" y="58" fill="#555">${escapeXml(
      [
        summary.containerId && `container ${summary.containerId.slice(0, 12)}`,
        summary.image && `image ${summary.image}`,
        summary.runtime && `runtime ${summary.runtime}`,
      ]
        .filter(Boolean)
        .join('  '),
    )}</text>`,
  ];
  const step = tickStep(extentMs);
  for (let t = 0; t <= extentMs + step / 1000; t += step) {
    out.push(
      `<line x1="${x(t).toFixed(1)}" y1="${rowsTop - 4}" x2="${x(t).toFixed(1)}" y2="${legendTop - 12}" stroke="#e4e4e4"/>`,
      `<text x="${x(t).toFixed(1)}" y="${rowsTop - 8}" text-anchor="middle" fill="#777" font-size="10">${+t.toFixed(3)} ms</text>`,
    );
  }
  for (const gap of coverage.gaps) {
    out.push(
      `<rect x="${x(rootOffset + gap.startMs).toFixed(1)}" y="${rowsTop}" width="${Math.max(1, x(rootOffset + gap.endMs) - x(rootOffset + gap.startMs)).toFixed(1)}" height="${spans.length * ROW}" fill="#e15759" fill-opacity="0.18">` +
        `<title>${escapeXml(`unexplained ${formatMs(gap.durationMs)} ${describeGap(gap, summary.rootName)}`)}</title></rect>`,
    );
  }
  for (const [i, span] of spans.entries()) {
    const y = rowsTop + i * ROW;
    const left = x(span.startOffsetMs);
    const width = Math.max(1, x(span.startOffsetMs + span.durationMs) - left);
    const error = span.status.code === 2;
    const tooltip = [
      `${span.name} (${span.service}) ${formatMs(span.durationMs)} at +${span.startOffsetMs.toFixed(3)} ms`,
      ...Object.entries(span.attributes).map(([k, v]) => `${k}=${String(v)}`),
      ...(error ? [`error: ${span.status.message ?? ''}`] : []),
    ].join('\n');
    out.push(
      `<g><title>${escapeXml(tooltip)}</title>`,
      `<text x="${10 + span.depth * 14}" y="${y + 15}"${error ? ' fill="#c00"' : ''}>${escapeXml(span.name)}</text>`,
      `<rect x="${left.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${serviceColour(span.service).hex}"${error ? ' stroke="#c00" stroke-width="2"' : ''}/>`,
      `<text x="${(left + width + 4).toFixed(1)}" y="${y + 15}" fill="#333" font-size="11">${formatMs(span.durationMs)}</text>`,
      `</g>`,
    );
  }
  let legendX = 10;
  for (const service of services) {
    out.push(
      `<rect x="${legendX}" y="${legendTop}" width="12" height="12" fill="${serviceColour(service).hex}"/>`,
      `<text x="${legendX + 18}" y="${legendTop + 11}">${escapeXml(service)}</text>`,
    );
    legendX += 30 + service.length * 8;
  }
  out.push(
    `<rect x="${legendX}" y="${legendTop}" width="12" height="12" fill="#e15759" fill-opacity="0.3"/>`,
    `<text x="${legendX + 18}" y="${legendTop + 11}">unexplained</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}
