/**
 * Figures: byte-identical across runs (the bootstrap's quantiles no longer come from mathjs' quantileSeq,
 * whose Math.random pivots and compare tolerance changed the last digits), one colour per agent in every
 * figure, legends and axis labels never truncated, axis titles in words with units, and what the bars
 * and bands are (mean or IQM, interval or range) said in each figure.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { axisTitle, CHAR_PX, keyTitle, metricTitle, words, wrapText } from '../../experiments/figures/labels.js';
import { writePlots } from '../../experiments/figures/write.js';
import { validateExperiment } from '../../experiments/spec/validate.js';
import { quantiles, stratifiedBootstrapCI } from '../../experiments/stats/bootstrap.js';
import { sampleMean } from '../../experiments/stats/summary.js';
import { expandRuns } from '../../experiments/sweep/expand.js';
import { tempDir } from './helpers.js';

const LONG = 'PPO with a rather long label (lr 3e-4, 8 envs, normalised observations)';
const LONG2 = 'PPO with a rather long label (lr 3e-4, 8 envs, raw observations)';

/** A results directory made by hand: experiment.json and run records with learning curves of awkward floats. */
function fakeResults(seeds: number[]): string {
  const dir = tempDir('schedlab-fig-');
  const doc = {
    name: 'figures-test',
    seeds,
    evaluation: { episodes: 3, seedOffset: 1000 },
    tasks: [
      {
        label: 'cluster',
        env: { id: 'ClusterScheduling-v0', options: {} },
        agents: [
          { name: 'sjf', label: 'SJF' },
          { name: 'ppo', label: LONG, totalSteps: 100, options: { normalizeObservation: true } },
          { name: 'ppo', label: LONG2, totalSteps: 100, options: { normalizeObservation: false } },
        ],
      },
      {
        label: 'other',
        env: { id: 'ClusterScheduling-v0', options: { newJobRate: 0.5 } },
        agents: [
          { name: 'random', label: 'Random' },
          { name: 'sjf', label: 'SJF' },
        ],
      },
    ],
    tables: [
      {
        name: 'main',
        metrics: [
          { metric: 'slowdown', better: 'lower' },
          { metric: 'jct', label: 'JCT', better: 'lower' },
        ],
      },
    ],
    figures: [{ name: 'jct-vs-slowdown', kind: 'scatter', x: 'slowdown', y: 'jct' }],
  };
  const file = join(dir, 'experiment.json');
  writeFileSync(file, JSON.stringify(doc));
  let x = 12345;
  const noise = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 7.3;
  // The runs the experiment expands to (tables keep only those), with their real ids.
  for (const run of expandRuns(validateExperiment(doc, file), file)) {
    const runDir = join(dir, 'runs', run.id);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'run.json'), JSON.stringify(run));
    const seed = run.seed;
    const ep = [0, 1, 2].map(() => 1 + noise() / 3);
    const metric = (vs: number[]) => ({ mean: vs.reduce((a, b) => a + b) / vs.length, std: 0, values: vs });
    writeFileSync(
      join(runDir, 'evaluation.json'),
      JSON.stringify({
        episodes: 3,
        seed: seed + 1000,
        metrics: { slowdown: metric(ep), jct: metric(ep.map((v) => v * 3.1)), return: metric(ep.map((v) => -v)) },
      }),
    );
    if (run.config.agent.name === 'ppo') {
      const rows = ['steps,episodic_return'];
      for (let s = 1; s <= 60; s++) rows.push(`${s * 64},${-60 + s / 7 + noise() / 3}`);
      writeFileSync(join(runDir, 'curve.csv'), rows.join('\n') + '\n');
    }
  }
  return dir;
}

const files = (dir: string) => readdirSync(join(dir, 'figures')).sort();

describe('schedlab plot', () => {
  it('writes byte-identical figures (Vega-Lite, SVG, PNG) and report on a second run', async () => {
    // 10 seeds: the bands and rules are bootstrap intervals, where the last digits used to change.
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const a = fakeResults(seeds);
    const b = fakeResults(seeds);
    await writePlots(a);
    await writePlots(b);
    expect(files(a)).toEqual(files(b));
    expect(files(a)).toContain('learning-curves.png');
    for (const f of files(a)) expect(readFileSync(join(a, 'figures', f)).equals(readFileSync(join(b, 'figures', f))), f).toBe(true);
    expect(readFileSync(join(a, 'report.html'), 'utf8')).toBe(readFileSync(join(b, 'report.html'), 'utf8'));
    // Plotting again in place gives the same bytes too.
    const before = Object.fromEntries(files(a).map((f) => [f, readFileSync(join(a, 'figures', f))]));
    await writePlots(a);
    for (const f of files(a)) expect(readFileSync(join(a, 'figures', f)).equals(before[f]), f).toBe(true);
  }, 120_000);

  it('gives each agent one colour in every figure, never truncates legends or labels, and titles axes in words', async () => {
    const dir = fakeResults([0, 1, 2]);
    await writePlots(dir);
    if (process.env.SCHEDLAB_KEEP_FIGURES) writeFileSync(process.env.SCHEDLAB_KEEP_FIGURES, dir);
    const specs = files(dir)
      .filter((f) => f.endsWith('.vl.json'))
      .map((f) => [f, readFileSync(join(dir, 'figures', f), 'utf8')] as const);
    const colourOf = new Map<string, string>();
    for (const [name, text] of specs) {
      // Every colour scale maps its domain to explicit colours, the same for an agent everywhere.
      const scales = [...text.matchAll(/"domain": (\[[^\]]*\]),\s*"range": (\[[^\]]*\])/g)].map(
        (m) => [JSON.parse(m[1]) as string[], JSON.parse(m[2]) as string[]] as const,
      );
      expect(scales.length, name).toBeGreaterThan(0);
      for (const [domain, range] of scales) {
        domain.forEach((agent, i) => {
          if (!colourOf.has(agent)) colourOf.set(agent, range[i]);
          expect(range[i], `${agent} in ${name}`).toBe(colourOf.get(agent));
        });
      }
      expect(text, name).not.toMatch(/"labelLimit": [1-9]/);
      // No raw metric key as an axis title.
      expect(text, name).not.toMatch(/"title": "(slowdown|jct|episodic_return|steps)"/);
    }
    expect(new Set(colourOf.values()).size).toBe(colourOf.size);
    expect(colourOf.get('SJF')).toBeDefined();
    const bar = readFileSync(join(dir, 'figures', 'bar-slowdown.svg'), 'utf8');
    // Both long labels appear in full (no ellipsis), so they stay distinguishable.
    expect(bar).toContain(LONG);
    expect(bar).toContain(LONG2);
    expect(bar).not.toContain('…');
    expect(bar).toContain('Mean slowdown (completion time / job length)');
    // 3 seeds: the bar is the mean, the seeds are dots, no interval, and the figure says so.
    expect(bar).toContain('bar: mean over 3 seeds; dots: the seeds; no interval (fewer than 10 seeds)');
    const curves = readFileSync(join(dir, 'figures', 'learning-curves.svg'), 'utf8');
    expect(curves).toContain('Environment steps');
    expect(curves).toContain('band: range of the seeds (no interval: fewer than 10 seeds)');
    expect(readFileSync(join(dir, 'figures', 'jct-vs-slowdown.svg'), 'utf8')).toContain(
      'JCT vs Mean slowdown (completion time / job length)',
    );
  }, 120_000);

  it('with 10 seeds the bars are IQMs with a bootstrap interval', async () => {
    const dir = fakeResults([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await writePlots(dir);
    const bar = readFileSync(join(dir, 'figures', 'bar-slowdown.svg'), 'utf8');
    expect(bar).toContain('bar: IQM over 10 seeds; dots: the seeds; rule: 95 % stratified bootstrap CI of the IQM');
  }, 120_000);
});

describe('figure helpers', () => {
  it('wraps long titles at spaces into lines that fit, as Vega estimates text, and keeps short ones whole', () => {
    const title = 'Mean slowdown, finished jobs (completion time / length)';
    const lines = axisTitle(title, 200);
    expect(Array.isArray(lines)).toBe(true);
    expect((lines as string[]).join(' ')).toBe(title);
    for (const line of lines) expect(line.length * CHAR_PX.axisTitle).toBeLessThanOrEqual(200);
    expect(axisTitle('Slowdown', 200)).toBe('Slowdown');
    // A word longer than the line is kept whole rather than cut.
    expect(wrapText('a supercalifragilisticexpialidocious word', 100, 8)).toEqual(['a', 'supercalifragilisticexpialidocious', 'word']);
  });

  it('quantiles interpolate linearly between order statistics (numpy.quantile)', () => {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.025, 0.5, 0.975]) = [1., 3.5, 8.475]
    const q = quantiles([3, 1, 4, 1, 5, 9, 2, 6], [0.025, 0.5, 0.975]);
    expect(q[0]).toBeCloseTo(1, 12);
    expect(q[1]).toBeCloseTo(3.5, 12);
    expect(q[2]).toBeCloseTo(8.475, 12);
  });

  it('the bootstrap never draws from Math.random (mathjs quantileSeq did, through partitionSelect)', () => {
    const spy = vi.spyOn(Math, 'random');
    try {
      stratifiedBootstrapCI([[5, 1, 4, 2, 3, 9, 7, 8, 6, 0]], sampleMean, { resamples: 200, confidence: 0.95, seed: 1 });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('the bootstrap interval is the same bit for bit on every call', () => {
    const xs = [-62.1234567891234, -61.98765432109876, -63.5555555555555];
    const first = stratifiedBootstrapCI([xs], sampleMean, { resamples: 500, confidence: 0.95, seed: 0 });
    for (let i = 0; i < 20; i++)
      expect(stratifiedBootstrapCI([xs], sampleMean, { resamples: 500, confidence: 0.95, seed: 0 })).toEqual(first);
  });

  it('axis titles in words with units', () => {
    expect(metricTitle('sloViolationRate')).toBe('SLO violation rate (fraction of intervals)');
    expect(metricTitle('slowdown', 'Slowdown (finished jobs)')).toBe('Slowdown (finished jobs)');
    expect(metricTitle('utilization_1')).toBe('Utilization of resource 1 (fraction of capacity)');
    expect(metricTitle('meanQueueLength')).toBe('Mean queue length');
    expect(keyTitle('env.options.newJobRate')).toBe('New-job rate (arrival probability per time step)');
    expect(words('p95_latency')).toBe('P95 latency');
  });
});
