/**
 * Vega-Lite specs of the figures: learning curves with interval bands, bar charts of final metrics
 * (IQM with its interval) per task, and the figures an experiment file asks for (`line`: a metric
 * against a swept key; `scatter`: one metric against another, e.g. cost vs SLO violations).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { FigureSpec, MetricColumn } from '../spec/types.js';
import { cellLabel, type CellPoint, type CurvePoint } from './data.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** One facet column per task, in the experiment's task order (Vega-Lite sorts them by name otherwise). */
const byTask = (rows: { task: string }[]) => ({ column: { field: 'task', type: 'nominal', title: null, sort: [...new Set(rows.map((r) => r.task))] } });
const CONFIG = { font: 'DejaVu Sans, sans-serif', view: { stroke: null } };

export function learningCurveSpec(points: CurvePoint[], metric: string, pct: number): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: `Learning curves: ${metric} (mean, ${pct} % bootstrap CI over seeds)`,
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: byTask(points),
    spec: {
      width: 260,
      height: 180,
      layer: [
        { mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'steps', type: 'quantitative', title: 'env steps' }, y: { field: 'low', type: 'quantitative', title: metric }, y2: { field: 'high' }, color: { field: 'agent', type: 'nominal' } } },
        { mark: { type: 'line' }, encoding: { x: { field: 'steps', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, color: { field: 'agent', type: 'nominal', title: 'agent' } } },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}

export function barChartSpec(points: CellPoint[], metric: MetricColumn, pct: number): TopLevelSpec {
  const values = points.filter((p) => p.metrics[metric.metric]).map((p) => ({ task: p.task, cell: p.cell, ...p.metrics[metric.metric] }));
  const arrow = metric.better === 'higher' ? '↑' : '↓';
  return {
    $schema: SCHEMA,
    title: `${metric.label} ${arrow} (IQM over seeds, ${pct} % stratified bootstrap CI)`,
    data: { values },
    facet: byTask(values),
    spec: {
      width: { step: 28 },
      height: 180,
      layer: [
        { mark: 'bar', encoding: { x: { field: 'cell', type: 'nominal', title: null, sort: null, axis: { labelAngle: -40, labelLimit: 240 } }, y: { field: 'iqm', type: 'quantitative', title: metric.label }, color: { field: 'cell', type: 'nominal', legend: null } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'cell', type: 'nominal', sort: null }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}

/** A custom figure. `line`: y metric against swept key x, one line per agent; `scatter`: metric y against metric x per cell. */
export function customFigureSpec(figure: FigureSpec, points: CellPoint[], labels: Record<string, string>, pct: number): TopLevelSpec {
  const chosen = points.filter((p) => !figure.tasks || figure.tasks.includes(p.task));
  const title = (m: string) => labels[m] ?? m;
  if (figure.kind === 'line') {
    const values = chosen
      .filter((p) => figure.x in p.sweep && p.metrics[figure.y])
      .map((p) => ({ task: p.task, agent: cellLabel(p.agent, p.sweep, [figure.x]), x: p.sweep[figure.x], ...p.metrics[figure.y] }));
    return {
      $schema: SCHEMA,
      title: `${title(figure.y)} vs ${figure.x} (IQM, ${pct} % CI)`,
      data: { values },
      facet: byTask(values),
      spec: {
        width: 300,
        height: 200,
        layer: [
          { mark: { type: 'area', opacity: 0.15 }, encoding: { x: { field: 'x', type: 'quantitative', title: figure.x }, y: { field: 'low', type: 'quantitative', title: title(figure.y) }, y2: { field: 'high' }, color: { field: 'agent', type: 'nominal' } } },
          { mark: { type: 'line', point: true }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'iqm', type: 'quantitative' }, color: { field: 'agent', type: 'nominal', title: 'agent' } } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    } as TopLevelSpec;
  }
  const values = chosen
    .filter((p) => p.metrics[figure.x] && p.metrics[figure.y])
    .map((p) => ({ task: p.task, agent: p.agent, cell: p.cell, x: p.metrics[figure.x].iqm, xLow: p.metrics[figure.x].low, xHigh: p.metrics[figure.x].high, y: p.metrics[figure.y].iqm, yLow: p.metrics[figure.y].low, yHigh: p.metrics[figure.y].high }));
  return {
    $schema: SCHEMA,
    title: `${title(figure.y)} vs ${title(figure.x)} (IQM per cell, ${pct} % CI)`,
    data: { values },
    width: 360,
    height: 260,
    layer: [
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x: { field: 'xLow', type: 'quantitative' }, x2: { field: 'xHigh' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'agent', type: 'nominal' } } },
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' }, x: { field: 'x', type: 'quantitative' }, color: { field: 'agent', type: 'nominal' } } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { field: 'x', type: 'quantitative', title: title(figure.x), scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: title(figure.y), scale: { zero: false } }, color: { field: 'agent', type: 'nominal', title: 'agent' }, tooltip: [{ field: 'cell' }] } },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}
