import type { MetricSummary } from '../../agents/core/evaluation.js';

/** A readable table of an evaluation: one row per metric with mean, std, min and max over episodes. */
export function formatEvaluation(report: {
  env: string;
  agent: string;
  episodes: number;
  seed: number;
  metrics: Record<string, MetricSummary>;
}): string {
  const rows = Object.entries(report.metrics).map(([name, m]) => [
    name,
    fmt(m.mean),
    fmt(m.std),
    fmt(Math.min(...m.values)),
    fmt(Math.max(...m.values)),
  ]);
  const header = ['metric', 'mean', 'std', 'min', 'max'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${report.agent} on ${report.env}: ${report.episodes} episodes, seed ${report.seed}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n');
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(4) : v.toFixed(4);
}
