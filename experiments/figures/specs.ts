/**
 * Vega-Lite specs of the figures: learning curves with a band, bar charts of final metrics per task, and
 * the figures an experiment file asks for (`line`: a metric against a swept key; `scatter`: one metric
 * against another, e.g. cost vs SLO violations). Every figure:
 * - colours agents by the experiment's one colour map (the same agent, the same colour everywhere);
 * - never truncates a legend or axis label (labelLimit 0: no limit), so long agent labels stay distinct;
 * - titles its axes in words with units (`labels.ts`), not with raw metric keys;
 * - says in its subtitle what the line or bar is (IQM or mean), over how many seeds, and what the band
 *   or rule is (a bootstrap interval only where every cell has n ≥ 10, else the range of the seeds).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { FigureSpec, MetricColumn } from '../spec/types.js';
import { CI_MIN_N } from '../stats/summary.js';
import { cellLabel, seedsText, shown, summaryOf, type CellPoint, type CurvePoint, type Summary } from './data.js';
import { axisTitle, CHAR_PX, figureTitle, keyTitle, metricTitle, wrapText } from './labels.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** One facet column per task, in the experiment's task order (Vega-Lite sorts them by name otherwise). */
/**
 * One column per task. A header label wider than its column is drawn on several lines (`labelExpr`): one long line would overlap its neighbour's and stretch the figure.
 */
const byTask = (rows: { task: string }[], columnPx: number) => {
  const tasks = [...new Set(rows.map((r) => r.task))];
  // Each label wider than the column, with its lines, as a chain of conditions.
  const wrapped = tasks.flatMap((task) => {
    const lines = wrapText(task, columnPx, CHAR_PX.header);
    return Array.isArray(lines) ? [`datum.value === ${JSON.stringify(task)} ? ${JSON.stringify(lines)} : `] : [];
  });
  return {
    column: {
      field: 'task',
      type: 'nominal',
      title: null,
      sort: tasks,
      header: {
        labelLimit: 0,
        labelFontSize: 12,
        ...(wrapped.length ? { labelExpr: `${wrapped.join('')}datum.label` } : {}),
      },
    },
  };
};
/** The most bars any task's column has (one per cell). */
const barsPerTask = (cells: { task: string; cell: string }[]) =>
  Math.max(...[...new Set(cells.map((c) => c.task))].map((t) => new Set(cells.filter((c) => c.task === t).map((c) => c.cell)).size));

const CONFIG = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  axis: { labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0 },
  title: { limit: 0, subtitleLimit: 0 },
};

/** The width, in pixels, that figure titles and subtitles are wrapped to. */
const TITLE_WIDTH = 440;
/** Plot sizes in pixels (axis titles and facet headers are wrapped to them): learning curves, bars, custom lines and scatters. */
const CURVE = { width: 260, height: 220 };
const BAR_STEP = 28;
const BAR_HEIGHT = 180;
const LINE = { width: 300, height: 200 };
const SCATTER = { width: 360, height: 260 };

/** The colour encoding of `field` over `keys`, from the experiment's colour map. */
function colour(colours: Map<string, string>, keys: string[], symbol?: 'stroke') {
  const domain = [...new Set(keys)];
  return {
    field: 'agent',
    type: 'nominal',
    title: 'Agent',
    scale: { domain, range: domain.map((k) => colours.get(k) ?? '#000000') },
    legend: {
      labelLimit: 0,
      titleLimit: 0,
      symbolLimit: 0,
      ...(symbol ? { symbolType: 'stroke', symbolStrokeWidth: 2, symbolOpacity: 1 } : {}),
    },
  };
}

function bandText(summary: Summary, pct: number, what: string): string {
  return summary.band === 'ci'
    ? `${pct} % stratified bootstrap CI of the ${what}`
    : `range of the seeds (no interval: fewer than ${CI_MIN_N} seeds)`;
}

export function learningCurveSpec(
  points: CurvePoint[],
  summary: Summary,
  metric: string,
  pct: number,
  colours: Map<string, string>,
): TopLevelSpec {
  const c = colour(
    colours,
    points.map((p) => p.agent),
    'stroke',
  );
  return {
    $schema: SCHEMA,
    title: figureTitle(
      `Learning curves: ${metricTitle(metric)}`,
      `line: mean over ${seedsText(points.map((p) => p.n))}; band: ${bandText(summary, pct, 'mean')}`,
      TITLE_WIDTH,
    ),
    data: { values: points as unknown as Record<string, unknown>[] },
    facet: byTask(points, CURVE.width),
    spec: {
      ...CURVE,
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            x: { field: 'steps', type: 'quantitative', title: 'Environment steps' },
            y: { field: 'low', type: 'quantitative', title: axisTitle(metricTitle(metric), CURVE.height) },
            y2: { field: 'high' },
            color: c,
          },
        },
        {
          mark: { type: 'line' },
          encoding: { x: { field: 'steps', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, color: c },
        },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}

export function barChartSpec(points: CellPoint[], metric: MetricColumn, pct: number, colours: Map<string, string>): TopLevelSpec {
  const chosen = points.filter((p) => p.metrics[metric.metric]);
  const summary = summaryOf(chosen.map((p) => p.metrics[metric.metric]));
  const cells = chosen.map((p) => ({
    kind: 'cell',
    task: p.task,
    cell: p.cell,
    agent: p.agent,
    ...shown(p.metrics[metric.metric], summary),
  }));
  const seeds = chosen.flatMap((p) =>
    p.metrics[metric.metric].values.map((v) => ({ kind: 'seed', task: p.task, cell: p.cell, agent: p.agent, seedValue: v })),
  );
  const arrow = metric.better === 'higher' ? '↑ higher is better' : '↓ lower is better';
  const title = metricTitle(metric.metric, metric.label);
  const x = { field: 'cell', type: 'nominal', title: null, sort: null, axis: { labelAngle: -40, labelLimit: 0 } };
  const layer: Record<string, unknown>[] = [
    {
      transform: [{ filter: "datum.kind === 'cell'" }],
      mark: 'bar',
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: axisTitle(title, BAR_HEIGHT) },
        color: colour(
          colours,
          chosen.map((p) => p.agent),
        ),
      },
    },
    {
      transform: [{ filter: "datum.kind === 'seed'" }],
      mark: { type: 'point', filled: true, size: 18, color: 'black', opacity: 0.7 },
      encoding: { x, y: { field: 'seedValue', type: 'quantitative' } },
    },
  ];
  if (summary.band === 'ci')
    layer.push({
      transform: [{ filter: "datum.kind === 'cell'" }],
      mark: { type: 'rule', color: 'black' },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
    });
  return {
    $schema: SCHEMA,
    title: figureTitle(
      `${title} (${arrow})`,
      `bar: ${summary.stat} over ${seedsText(chosen.map((p) => p.metrics[metric.metric].n))}; dots: the seeds${summary.band === 'ci' ? `; rule: ${pct} % stratified bootstrap CI of the IQM` : `; no interval (fewer than ${CI_MIN_N} seeds)`}`,
      TITLE_WIDTH,
    ),
    data: { values: [...cells, ...seeds] },
    facet: byTask(cells, Math.max(140, BAR_STEP * barsPerTask(cells))),
    spec: { width: { step: BAR_STEP }, height: BAR_HEIGHT, layer },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** A custom figure. `line`: y metric against swept key x, one line per agent; `scatter`: metric y against metric x per cell. */
export function customFigureSpec(
  figure: FigureSpec,
  points: CellPoint[],
  labels: Record<string, string>,
  pct: number,
  colours: Map<string, string>,
): TopLevelSpec {
  const chosen = points.filter((p) => !figure.tasks || figure.tasks.includes(p.task));
  const title = (m: string) => metricTitle(m, labels[m]);
  if (figure.kind === 'line') {
    const rows = chosen.filter((p) => figure.x in p.sweep && p.metrics[figure.y]);
    const summary = summaryOf(rows.map((p) => p.metrics[figure.y]));
    const values = rows.map((p) => ({
      task: p.task,
      agent: cellLabel(p.agent, p.sweep, [figure.x]),
      x: p.sweep[figure.x],
      ...shown(p.metrics[figure.y], summary),
    }));
    const c = colour(
      colours,
      values.map((v) => v.agent),
      'stroke',
    );
    return {
      $schema: SCHEMA,
      title: figureTitle(
        `${title(figure.y)} vs ${keyTitle(figure.x)}`,
        `line: ${summary.stat} over ${seedsText(values.map((v) => v.n))}; band: ${bandText(summary, pct, summary.stat)}`,
        TITLE_WIDTH,
      ),
      data: { values },
      facet: byTask(values, LINE.width),
      spec: {
        ...LINE,
        layer: [
          {
            mark: { type: 'area', opacity: 0.15 },
            encoding: {
              x: { field: 'x', type: 'quantitative', title: axisTitle(keyTitle(figure.x), LINE.width) },
              y: { field: 'low', type: 'quantitative', title: axisTitle(title(figure.y), LINE.height) },
              y2: { field: 'high' },
              color: c,
            },
          },
          {
            mark: { type: 'line', point: true },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color: c },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    } as TopLevelSpec;
  }
  const rows = chosen.filter((p) => p.metrics[figure.x] && p.metrics[figure.y]);
  const summary = summaryOf(rows.flatMap((p) => [p.metrics[figure.x], p.metrics[figure.y]]));
  const values = rows.map((p) => {
    const sx = shown(p.metrics[figure.x], summary);
    const sy = shown(p.metrics[figure.y], summary);
    return { task: p.task, agent: p.cell, x: sx.value, xLow: sx.low, xHigh: sx.high, y: sy.value, yLow: sy.low, yHigh: sy.high, n: sx.n };
  });
  const c = colour(
    colours,
    values.map((v) => v.agent),
  );
  return {
    $schema: SCHEMA,
    title: figureTitle(
      `${title(figure.y)} vs ${title(figure.x)}`,
      `point: ${summary.stat} per agent over ${seedsText(values.map((v) => v.n))}; bars: ${bandText(summary, pct, summary.stat)}`,
      TITLE_WIDTH,
    ),
    data: { values },
    ...SCATTER,
    layer: [
      {
        mark: { type: 'rule', opacity: 0.5 },
        encoding: { x: { field: 'xLow', type: 'quantitative' }, x2: { field: 'xHigh' }, y: { field: 'y', type: 'quantitative' }, color: c },
      },
      {
        mark: { type: 'rule', opacity: 0.5 },
        encoding: { y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' }, x: { field: 'x', type: 'quantitative' }, color: c },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: axisTitle(title(figure.x), SCATTER.width), scale: { zero: false } },
          y: { field: 'y', type: 'quantitative', title: axisTitle(title(figure.y), SCATTER.height), scale: { zero: false } },
          color: c,
          tooltip: [{ field: 'agent' }],
        },
      },
    ],
    config: CONFIG,
  } as TopLevelSpec;
}
