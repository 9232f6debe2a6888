/**
 * `schedlab plot`: every figure as a Vega-Lite spec (`.vl.json`), SVG and PNG under `figures/`, then
 * `report.html` with the tables and figures. Reads only the run records and experiment.json.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../records/atomic.js';
import { experimentOf } from '../records/experiment-of.js';
import { resultsLayout } from '../records/layout.js';
import { writeReport } from '../report/html.js';
import { writeTables } from '../tables/write.js';
import { cellPoints, colourMap, curvePoints } from './data.js';
import { renderSvg, svgToPng } from './render.js';
import { barChartSpec, customFigureSpec, learningCurveSpec } from './specs.js';

export interface Figure {
  name: string;
  svg: string;
  files: string[];
}

export async function writePlots(resultsDir: string): Promise<{ figures: Figure[]; report: string }> {
  const spec = experimentOf(resultsDir);
  const { tables, records } = writeTables(resultsDir);
  const pct = Math.round(spec.statistics.confidence * 100);
  const specs: [string, TopLevelSpec][] = [];
  const colours = colourMap(spec, records);
  const curves = curvePoints(spec, records);
  if (curves.points.length)
    specs.push([`learning-curves`, learningCurveSpec(curves.points, curves.summary, spec.curveMetric, pct, colours)]);
  const columns = [...new Map(spec.tables.flatMap((t) => t.metrics).map((m) => [m.metric, m])).values()];
  const extra = spec.figures.flatMap((f) => (f.kind === 'scatter' ? [f.x, f.y] : [f.y]));
  const points = cellPoints(spec, records, [...new Set([...columns.map((c) => c.metric), ...extra])]);
  for (const column of columns) {
    if (points.some((p) => p.metrics[column.metric]))
      specs.push([`bar-${slug(column.metric)}`, barChartSpec(points, column, pct, colours)]);
  }
  const labels = Object.fromEntries(columns.map((c) => [c.metric, c.label]));
  for (const figure of spec.figures) specs.push([figure.name, customFigureSpec(figure, points, labels, pct, colours)]);
  const dir = resultsLayout(resultsDir).figures;
  const figures: Figure[] = [];
  for (const [name, vl] of specs) {
    const svg = await renderSvg(vl);
    const files = [join(dir, `${name}.vl.json`), join(dir, `${name}.svg`), join(dir, `${name}.png`)];
    writeFileAtomic(files[0], JSON.stringify(vl, null, 2) + '\n');
    writeFileAtomic(files[1], svg);
    writeFileAtomic(files[2], svgToPng(svg));
    figures.push({ name, svg, files });
  }
  const report = writeReport(resultsDir, spec, tables, figures, records);
  return { figures, report };
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '-');
}
