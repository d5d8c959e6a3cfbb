import { describeGap } from './coverage';
import { formatMs, formatPercent } from './format';
import type { ShowReport } from './show';
import { escapeXml, renderSvg } from './svg';

/** A self-contained page: the SVG waterfall, the unexplained gaps and every span's attributes. */
export function renderHtml(report: ShowReport): string {
  const { summary, coverage, spans } = report;
  const gapRows = coverage.gaps
    .map(
      (g) =>
        `<tr><td class="n">${formatMs(g.durationMs)}</td><td class="n">+${g.startMs.toFixed(3)} ms</td><td>${escapeXml(describeGap(g, summary.rootName))}</td></tr>`,
    )
    .join('\n');
  const spanRows = spans
    .map(
      (s) =>
        `<tr${s.status.code === 2 ? ' class="error"' : ''}><td style="padding-left:${0.4 + s.depth * 1.2}em">${escapeXml(s.name)}</td>` +
        `<td>${escapeXml(s.service)}</td><td class="n">+${s.startOffsetMs.toFixed(3)}</td><td class="n">${s.durationMs.toFixed(3)}</td>` +
        `<td>${escapeXml(
          Object.entries(s.attributes)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join('  '),
        )}${s.status.code === 2 ? escapeXml(`  error: ${s.status.message ?? ''}`) : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(`${summary.rootName} ${summary.traceId}`)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; font-family: monospace; }
td.n { text-align: right; }
tr.error td { color: #c00; }
</style>
</head>
<body>
<h1>${escapeXml(summary.rootName)} — ${formatMs(summary.totalMs)}</h1>
<p>trace <code>${summary.traceId}</code>, started ${summary.start}, ${summary.spanCount} spans from ${escapeXml(summary.services.join(', '))}; spans cover ${formatPercent(coverage.ratio)} of the root (${formatMs(coverage.coveredMs)} of ${formatMs(coverage.rootMs)}).</p>
${renderSvg(report)}
<h2>Unexplained gaps</h2>
${gapRows ? `<table><tr><th>duration</th><th>at</th><th>between</th></tr>\n${gapRows}\n</table>` : '<p>none</p>'}
<h2>Spans</h2>
<table><tr><th>name</th><th>service</th><th>start (ms)</th><th>duration (ms)</th><th>attributes</th></tr>
${spanRows}
</table>
</body>
</html>
`;
}
