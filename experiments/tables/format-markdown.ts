/** The table in GitHub Markdown: mean ± std (and the IQM and intervals where they mean something) per metric, best mean per task in bold. */
import type { TableModel } from './aggregate.js';
import { tableText } from './format-number.js';

export function tableMarkdown(t: TableModel): string {
  const text = tableText(t);
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${text.header.map(escape).join(' | ')} |`,
    `| ${text.header.map((_, i) => (i < text.labelColumns ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const r of text.rows) lines.push(`| ${r.cells.map((c, j) => (r.bold[j] ? `**${escape(c)}**` : escape(c))).join(' | ')} |`);
  return `${lines.join('\n')}\n\n${text.note}\n`;
}
