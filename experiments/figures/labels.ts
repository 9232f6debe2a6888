/**
 * Words for figure axes: a metric key (`sloViolationRate`) or a swept key (`env.options.newJobRate`)
 * becomes a title in words with its unit ("SLO violation rate (fraction of intervals)"). A label the
 * experiment file gives for a metric (tables[].metrics[].label) wins over these; an unknown key is split
 * into words ("meanQueueLength" → "Mean queue length").
 */

/** Known metrics of the bundled envs and the evaluator, with units. */
export const METRIC_TITLES: Record<string, string> = {
  return: 'Return (sum of rewards per episode)',
  length: 'Episode length (steps)',
  episodic_return: 'Training episode return',
  eval_mean_reward: 'Validation return (sum of rewards)',
  // ClusterScheduling-v0
  slowdown: 'Mean slowdown (completion time / job length)',
  jct: 'Mean job completion time (time steps)',
  utilization: 'Utilization (fraction of capacity)',
  finished: 'Finished jobs (per episode)',
  unfinished: 'Unfinished jobs (per episode)',
  dropped: 'Dropped jobs (per episode)',
  // BatchScheduling-v0
  bsld: 'Average bounded slowdown',
  wait: 'Mean wait time (s)',
  turnaround: 'Mean turnaround time (s)',
  rlschedulerUtilization: "Utilization, RLScheduler's formula",
  decisions: 'Scheduling decisions (per episode)',
  // Autoscaling-v0, MicroserviceAutoscaling-v0
  cost: 'Cost (replica-hours)',
  replicaHours: 'Replica-hours',
  sloViolationRate: 'SLO violation rate (fraction of intervals)',
  meanLatency: 'Mean latency (s)',
  p95Latency: 'p95 latency (s)',
  dropRate: 'Drop rate (fraction of requests)',
  meanReplicas: 'Mean replicas',
  meanUtilization: 'Mean utilization (fraction of capacity)',
  scaleEvents: 'Scale events (per episode)',
};

/** Known swept keys (the last part of the path), with units. */
export const KEY_TITLES: Record<string, string> = {
  newJobRate: 'New-job rate (arrival probability per time step)',
  simuLen: 'Sequence length (time steps)',
  numSlots: 'Visible job slots',
  backlogSize: 'Backlog size (jobs)',
  sequenceLength: 'Sequence length (jobs)',
  queueSize: 'Queue size (jobs)',
  learningRate: 'Learning rate',
  entCoef: 'Entropy coefficient',
  gamma: 'Discount factor γ',
  totalSteps: 'Training budget (env steps)',
  episodes: 'Evaluation episodes',
  controlInterval: 'Control interval (s)',
  startupDelay: 'Start-up delay (s)',
  maxReplicas: 'Maximum replicas',
  minReplicas: 'Minimum replicas',
  rateScale: 'Load scale (× trace rate)',
  timeScale: 'Time scale (× trace time)',
};

/** "meanQueueLength" / "queue_len" → "Mean queue length" / "Queue len". */
export function words(key: string): string {
  const spaced = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The axis title of a metric: the experiment's own label if it gave one, else the known title, else the key in words. */
export function metricTitle(metric: string, label?: string): string {
  if (label !== undefined && label !== metric) return label;
  const util = /^utilization_(\d+)$/.exec(metric);
  if (util) return `Utilization of resource ${util[1]} (fraction of capacity)`;
  return METRIC_TITLES[metric] ?? words(metric);
}

/** The axis title of a swept key such as `env.options.newJobRate` or `agent.options.learningRate`. */
export function keyTitle(key: string): string {
  const last = key.split('.').pop() ?? key;
  return KEY_TITLES[last] ?? words(last);
}

/**
 * Character widths in pixels as Vega estimates them without a canvas (0.8 × the font size: axis title 11 px,
 * figure title 13 px, subtitle and facet header 12 px). Vega lays a figure out by its estimate, so lines are wrapped by it
 * too (the DejaVu text drawn is narrower, never wider).
 */
export const CHAR_PX = { axisTitle: 8.8, title: 10.4, subtitle: 9.6, header: 9.6 } as const;

/**
 * Text broken at spaces into lines that fit in `lengthPx` (one string when it fits): a single line longer
 * than its axis or its figure makes Vega stretch the whole figure to the text's length, leaving a blank
 * band beside the plot. Vega-Lite draws a string array as one line each.
 */
export function wrapText(text: string, lengthPx: number, charPx: number): string | string[] {
  const perLine = Math.max(12, Math.floor(lengthPx / charPx));
  if (text.length <= perLine) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** An axis title that fits along an axis `lengthPx` long (`wrapText`). */
export function axisTitle(text: string, lengthPx: number): string | string[] {
  return wrapText(text, lengthPx, CHAR_PX.axisTitle);
}

/** A figure's title and subtitle wrapped to `widthPx` (`wrapText`). */
export function figureTitle(text: string, subtitle: string, widthPx: number): { text: string | string[]; subtitle: string | string[] } {
  return { text: wrapText(text, widthPx, CHAR_PX.title), subtitle: wrapText(subtitle, widthPx, CHAR_PX.subtitle) };
}
