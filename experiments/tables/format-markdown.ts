/** The table in GitHub Markdown: mean ± std and IQM [CI] per metric, best mean per task in bold. */
import type { TableModel } from './aggregate.js';
import { formatNumber, formatPaired, formatSweepValue, nLabel, tableNote } from './format-number.js';

export function tableMarkdown(t: TableModel): string {
  const arrow = (b: 'higher' | 'lower') => (b === 'higher' ? '↑' : '↓');
  const header = ['Task', 'Agent', ...t.sweepKeys];
  const baseline = t.spec.baseline;
  for (const m of t.spec.metrics) {
    header.push(`${m.label} ${arrow(m.better)}`, `${m.label} IQM [${Math.round(t.statistics.confidence * 100)} % CI]`);
    if (baseline !== undefined) header.push(`${m.label} − ${baseline} (paired)`);
  }
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [`| ${header.map(escape).join(' | ')} |`, `| ${header.map((_, i) => (i < 2 + t.sweepKeys.length ? '---' : '---:')).join(' | ')} |`];
  t.rows.forEach((r, i) => {
    const cells = [r.task, r.agent, ...t.sweepKeys.map((k) => (k in r.sweep ? formatSweepValue(r.sweep[k]) : ''))];
    for (const { metric } of t.spec.metrics) {
      const s = r.stats[metric];
      if (!s) cells.push('–', '–');
      else {
        const main = `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`;
        cells.push(t.best[metric].has(i) ? `**${main}**` : main, `${formatNumber(s.iqm)} [${formatNumber(s.ciLow)}, ${formatNumber(s.ciHigh)}]`);
      }
      if (baseline !== undefined) cells.push(formatPaired(r.paired?.[metric]));
    }
    if (r.failed) cells[1] += ` (${r.failed} failed)`;
    lines.push(`| ${cells.map(escape).join(' | ')} |`);
  });
  return `${lines.join('\n')}\n\n${tableNote(nLabel(t.rows), t.statistics, baseline)}\n`;
}
