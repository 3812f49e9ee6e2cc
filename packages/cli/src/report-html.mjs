// The report of `attune report` as one self-contained HTML page: no script, no network, inline
// styles and SVG charts (each variant's rate with its 95% interval, and the rate over time).
// Every text from the events or the bundle is escaped.
import { money, percent, pValue as formatP, signedPercent } from './report-format.mjs';
import { SRM_ALPHA } from './report-stats.mjs';

const escape = (value) =>
  String(value).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]);
const range = (low, high, format) => (low === null || low === undefined ? '' : ` <span class="ci">[${format(low)}, ${format(high)}]</span>`);
const pValue = (value) => escape(formatP(value));
const COLORS = ['#2f6fde', '#e0662b', '#2a9d5c', '#9b51e0', '#c0392b', '#7f8c8d'];

/** Each variant's rate as a dot with its interval as a bar, on a shared 0..max scale. */
function ratesChart(rows) {
  const shown = rows.filter((row) => row.rate !== null);
  if (shown.length === 0) return '';
  const width = 520;
  const left = 130;
  const rowHeight = 26;
  const height = shown.length * rowHeight + 24;
  const max = Math.max(...shown.map((row) => row.high ?? row.rate), 0.0001) * 1.1;
  const x = (value) => left + ((width - left - 20) * value) / max;
  const lines = shown.map((row, i) => {
    const y = 14 + i * rowHeight;
    const color = COLORS[i % COLORS.length];
    return `<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escape(row.variant)}</text>` +
      `<line x1="${x(row.low)}" x2="${x(row.high)}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="3"/>` +
      `<circle cx="${x(row.rate)}" cy="${y}" r="5" fill="${color}"/>` +
      `<text x="${x(row.high) + 6}" y="${y + 4}" class="small">${percent(row.rate)}</text>`;
  });
  const axis = `<line x1="${left}" x2="${width - 20}" y1="${height - 10}" y2="${height - 10}" stroke="#999"/>` +
    `<text x="${left}" y="${height}" class="small">0%</text><text x="${width - 20}" y="${height}" class="small" text-anchor="end">${percent(max, 1)}</text>`;
  return `<svg role="img" aria-label="Conversion rate per variant with 95% intervals" width="${width}" height="${height + 4}" viewBox="0 0 ${width} ${height + 4}">${lines.join('')}${axis}</svg>`;
}

/** The rate of each variant over time (cumulative by day of first exposure), with its interval as a band. */
function seriesChart(series) {
  const variants = Object.entries(series.variants ?? {}).filter(([, points]) => points.length > 0);
  const days = [...new Set(variants.flatMap(([, points]) => points.map((point) => point.day)))].sort();
  if (days.length < 2) return '';
  const width = 520;
  const height = 200;
  const pad = 30;
  // Scaled to the points with 30 units or more: a first day with a handful of units has an
  // interval so wide it would flatten the rest (it is drawn clipped).
  const settled = variants.flatMap(([, points]) => points.filter((point) => point.units >= 30));
  const max = Math.max(...(settled.length > 0 ? settled : variants.flatMap(([, points]) => points)).map((point) => point.high ?? 0), 0.0001) * 1.05;
  const x = (day) => pad + ((width - 2 * pad) * days.indexOf(day)) / (days.length - 1);
  const y = (value) => height - pad - ((height - 2 * pad) * Math.min(value, max)) / max;
  const shapes = variants.map(([variant, points], i) => {
    const color = COLORS[i % COLORS.length];
    const band = [...points.map((p) => `${x(p.day)},${y(p.high)}`), ...[...points].reverse().map((p) => `${x(p.day)},${y(p.low)}`)].join(' ');
    const line = points.map((p) => `${x(p.day)},${y(p.rate)}`).join(' ');
    return `<polygon points="${band}" fill="${color}" opacity="0.15"/><polyline points="${line}" fill="none" stroke="${color}" stroke-width="2"/>` +
      `<text x="${width - pad + 4}" y="${y(points.at(-1).rate) + 4}" class="small" fill="${color}">${escape(variant)}</text>`;
  });
  const axis = `<line x1="${pad}" x2="${width - pad}" y1="${height - pad}" y2="${height - pad}" stroke="#999"/>` +
    `<text x="${pad}" y="${height - 8}" class="small">${escape(days[0])}</text><text x="${width - pad}" y="${height - 8}" class="small" text-anchor="end">${escape(days.at(-1))}</text>` +
    `<text x="2" y="${y(max) + 10}" class="small">${percent(max, 1)}</text>`;
  return `<svg role="img" aria-label="Conversion rate over time per variant, cumulative, with 95% intervals" width="${width + 70}" height="${height}" viewBox="0 0 ${width + 70} ${height}">${shapes.join('')}${axis}</svg>`;
}

function goalSection(goal) {
  const rows = goal.variants.map((row) => `<tr><th scope="row">${escape(row.variant)}</th><td>${row.units}</td><td>${row.conversions}</td>` +
    `<td>${percent(row.rate)}${range(row.low, row.high, percent)}</td>` +
    `<td>${row.vsControl ? `${signedPercent(row.vsControl.absolute)}${range(row.vsControl.absoluteLow, row.vsControl.absoluteHigh, signedPercent)}` : ''}</td>` +
    `<td>${row.vsControl ? `${signedPercent(row.vsControl.relative)}${range(row.vsControl.relativeLow, row.vsControl.relativeHigh, signedPercent)}` : ''}</td>` +
    `<td>${row.vsControl ? pValue(row.vsControl.pValue) : ''}</td>` +
    `<td>${money(row.revenuePerUnit.mean)}${range(row.revenuePerUnit.low, row.revenuePerUnit.high, money)}</td></tr>`);
  const factors = Object.entries(goal.factors ?? {}).map(([factor, levels]) =>
    `<p>Factor <b>${escape(factor)}</b>: ${levels.map((level) => `${escape(level.level)} ${percent(level.rate)} (${level.units} units${level.vsControl ? `, ${signedPercent(level.vsControl.relative)}, p ${pValue(level.vsControl.pValue)}` : ''})`).join('; ')}</p>`);
  const holdout = goal.holdout
    ? `<p><b>Personalization vs holdout:</b> ${percent(goal.holdout.personalized.rate)} (${goal.holdout.personalized.units} units) against ${percent(goal.holdout.holdout.rate)} (${goal.holdout.holdout.units} units): ${signedPercent(goal.holdout.lift.relative)}${range(goal.holdout.lift.relativeLow, goal.holdout.lift.relativeHigh, signedPercent)}, p ${pValue(goal.holdout.lift.pValue)}</p>`
    : '';
  return `<h3>Goal ${escape(goal.goal)}</h3>
<table><thead><tr><th>variant</th><th>units</th><th>conversions</th><th>rate</th><th>lift (abs.)</th><th>lift (rel.)</th><th>p</th><th>revenue / unit</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${ratesChart(goal.variants)}
${factors.join('\n')}
${holdout}`;
}

function srmLine(srm) {
  if (srm.skipped) return `<p class="muted">Sample ratio: not checked (${escape(srm.skipped)}).</p>`;
  const total = Object.values(srm.expected).reduce((a, b) => a + b, 0);
  const expected = Object.entries(srm.expected).map(([group, share]) => `${escape(group)} ${percent(share / total, 1)}`).join(', ');
  const verdict = srm.flagged
    ? `<span class="bad">MISMATCH</span> (p &lt; ${SRM_ALPHA}${srm.unexpected.length ? `; units in ${srm.unexpected.map(escape).join(', ')}, which should get none` : ''}): the split is broken, do not trust these results`
    : '<span class="good">OK</span>';
  return `<p>Sample ratio: ${verdict}; chi-square ${srm.chiSquare?.toFixed(2) ?? '—'}, df ${srm.df ?? '—'}, p ${pValue(srm.pValue)} (expected ${expected}).</p>`;
}

/** The whole report as an HTML document. */
export function reportHtml(report) {
  const experiments = report.experiments.map((experiment) => `<section>
<h2>Experiment ${escape(experiment.id)}${experiment.experience ? ` <span class="muted">(experience ${escape(experiment.experience)})</span>` : ''}</h2>
<p>Control: <b>${escape(experiment.control)}</b>.${experiment.crossed > 0 ? ` ${experiment.crossed} unit(s) saw more than one variant: each counts in its first.` : ''}</p>
${srmLine(experiment.srm)}
${experiment.goals.map(goalSection).join('\n')}
${experiment.series && seriesChart(experiment.series) ? `<h3>Goal ${escape(experiment.series.goal)} over time</h3>${seriesChart(experiment.series)}` : ''}
</section>`);
  const malformed = report.malformed?.count > 0
    ? `<p class="bad">Skipped ${report.malformed.count} malformed line(s): ${report.malformed.lines.map((bad) => `${escape(bad.file)}:${bad.line} (${escape(bad.problem)})`).join(', ')}</p>`
    : '';
  const unknown = report.unknownExperiments?.length ? `<p>Exposures of experiments the bundle does not have: ${report.unknownExperiments.map(escape).join(', ')}.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attune experiment report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #222; max-width: 70rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; text-align: right; }
th[scope=row], thead th:first-child { text-align: left; } .ci, .muted, .small { color: #666; font-size: 12px; }
.bad { color: #b00020; font-weight: 600; } .good { color: #1e7d32; font-weight: 600; } svg text { font: 12px system-ui, sans-serif; }
section { margin-top: 2rem; }
</style></head><body>
<h1>Attune experiment report</h1>
<p>${report.source ? `Aggregates from ${escape(report.source)}` : `${report.events} event(s)${report.duplicates ? ` (${report.duplicates} duplicate(s) dropped)` : ''}`}; goals ${report.goals.map(escape).join(', ')} within ${report.windowMs / 86_400_000} day(s) of a unit's first exposure; revenue from <code>${escape(report.revenueProperty)}</code>; 95% intervals.</p>
${malformed}
${experiments.join('\n') || '<p>No experiment_exposure events: nothing to report yet.</p>'}
${unknown}
<p class="muted">How each number is computed: docs/cli.md, "Experiment reports (attune report)".</p>
</body></html>
`;
}
