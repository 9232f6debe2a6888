/**
 * The benchmark harness behind `npm run bench`: each case runs a unit of work repeatedly after a
 * warm-up and reports the median throughput (units per second), with its min and max, and, where the
 * case names one, the ratio to a reference figure (a Python peer measured on this machine class).
 */
export interface BenchCase {
  /** Group, e.g. `envs`, `agents`, `runner`. */
  suite: string;
  name: string;
  /** The unit counted by `run`, e.g. `steps`; throughput is reported in `<unit>/s`. */
  unit: string;
  /** Optional one-off preparation, not timed. */
  setup?: () => void | Promise<void>;
  /** Does the work once and returns how many units it did. */
  run: () => number | Promise<number>;
  teardown?: () => void | Promise<void>;
  warmup?: number;
  repeats?: number;
  /** The figure to compare with, in the same unit per second. */
  reference?: { value: number; label: string };
  /** Extra figures the case computes (e.g. overhead per sub-env step), reported as they are. */
  extras?: () => Record<string, number>;
}

export interface BenchResult {
  suite: string;
  name: string;
  unit: string;
  /** Median throughput in units per second. */
  median: number;
  min: number;
  max: number;
  repeats: number;
  reference?: { value: number; label: string };
  /** median / reference.value */
  ratio?: number;
  extras?: Record<string, number>;
}

export async function runCase(c: BenchCase): Promise<BenchResult> {
  await c.setup?.();
  const warmup = c.warmup ?? 1;
  const repeats = c.repeats ?? 5;
  for (let i = 0; i < warmup; i++) await c.run();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    const units = await c.run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(units / seconds);
  }
  const extras = c.extras?.();
  await c.teardown?.();
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return {
    suite: c.suite,
    name: c.name,
    unit: c.unit,
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    repeats,
    reference: c.reference,
    ratio: c.reference ? median / c.reference.value : undefined,
    extras,
  };
}

export function formatResult(r: BenchResult): string {
  const rate = `${fmt(r.median)} ${r.unit}/s (min ${fmt(r.min)}, max ${fmt(r.max)}, ${r.repeats} runs)`;
  const ratio = r.reference ? `  ${r.ratio!.toFixed(2)}× ${r.reference.label} (${fmt(r.reference.value)}/s)` : '';
  const extras = r.extras
    ? '\n    ' +
      Object.entries(r.extras)
        .map(([k, v]) => `${k}: ${fmt(v)}`)
        .join(', ')
    : '';
  return `[${r.suite}] ${r.name}: ${rate}${ratio}${extras}`;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}
