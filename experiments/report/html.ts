/** `report.html`: one static page with the experiment, its manifest, the tables and the figures (inline SVG). */
import type { Figure } from '../figures/write.js';
import { writeFileAtomic } from '../records/atomic.js';
import { resultsLayout } from '../records/layout.js';
import type { RunRecord } from '../records/read.js';
import { readManifest } from '../run/results-dir.js';
import type { ExperimentSpec } from '../spec/types.js';
import type { TableModel } from '../tables/aggregate.js';
import { tableText } from '../tables/format-number.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function tableHtml(t: TableModel): string {
  const text = tableText(t);
  const head = text.header.map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = text.rows.map(
    (r) =>
      `<tr>${r.cells.map((c, j) => (j < text.labelColumns ? `<td>${esc(c)}</td>` : `<td class="num">${r.bold[j] ? `<b>${esc(c)}</b>` : esc(c)}</td>`)).join('')}</tr>`,
  );
  return `<h3>${esc(t.spec.name)}</h3><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table><p class="note">${esc(text.note)}</p>`;
}

export function writeReport(
  resultsDir: string,
  spec: ExperimentSpec,
  tables: TableModel[],
  figures: Figure[],
  records: RunRecord[],
): string {
  const manifest = readManifest(resultsDir);
  const failed = records.filter((r) => !r.evaluation);
  const info = manifest
    ? `<p>schedlab ${esc(manifest.schedlab)}, Node ${esc(manifest.node)}, backend ${esc(manifest.backend)} on ${esc(manifest.device)}, ${esc(manifest.cpu)}; ` +
      `git ${esc(manifest.git ? manifest.git.commit.slice(0, 12) + (manifest.git.dirty ? ' (uncommitted changes)' : '') : 'none')}; ` +
      `experiment hash ${esc(manifest.experiment.hash.slice(0, 12))}; training seeds ${esc(manifest.seeds.training.join(', '))}, evaluation seeds ${esc(manifest.seeds.evaluation.join(', '))}.</p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(spec.name)} — schedlab report</title>
<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:.25em .6em;border-bottom:1px solid #ddd}th{border-bottom:2px solid #333;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.note{font-size:.85em;color:#555}figure{margin:1.5em 0}svg{max-width:100%;height:auto}</style></head>
<body><h1>${esc(spec.name)}</h1><p>${esc(spec.description)}</p>${info}
<p>${records.length} runs recorded, ${failed.length} failed.</p>
<h2>Tables</h2>${tables.map(tableHtml).join('\n')}
<h2>Figures</h2>${figures.map((f) => `<figure>${f.svg}<figcaption>${esc(f.name)} (<a href="figures/${esc(f.name)}.png">PNG</a>, <a href="figures/${esc(f.name)}.vl.json">Vega-Lite</a>)</figcaption></figure>`).join('\n')}
${failed.length ? `<h2>Failed runs</h2><ul>${failed.map((r) => `<li>${esc(r.run.id)} ${esc(r.run.task)} / ${esc(r.run.agent)} seed ${r.run.seed}: ${esc(r.error?.message ?? '')}</li>`).join('')}</ul>` : ''}
</body></html>
`;
  const file = resultsLayout(resultsDir).report;
  writeFileAtomic(file, html);
  return file;
}
