/** Number formatting for human-facing tables (CSV keeps full precision). */
export function formatNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function formatSweepValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A paired difference as `mean ± standard error (n pairs)`; '–' when there is none (the baseline's own row). */
export function formatPaired(p: { n: number; mean: number; se: number } | null | undefined): string {
  return p ? `${formatNumber(p.mean)} ± ${formatNumber(p.se)} (n ${p.n})` : '–';
}

/** The note under every table: what the numbers are. */
export function tableNote(n: string, statistics: { resamples: number; confidence: number; seed: number }, baseline?: string): string {
  const pct = Math.round(statistics.confidence * 100);
  const paired =
    baseline === undefined
      ? ''
      : ` − ${baseline} (paired): the mean difference from ${baseline} over the same evaluation episodes (same task, swept env point and seed), ± its standard error over the n episode pairs.`;
  return (
    `mean ± std over ${n} runs (seeds) per cell; std is the sample standard deviation (ddof = 1). ` +
    `IQM: interquartile (25 % trimmed) mean; [${pct} % CI]: stratified bootstrap percentile interval of the IQM ` +
    `(${statistics.resamples} resamples, seed ${statistics.seed}). ↑ higher is better, ↓ lower is better; the best mean per task (and per point of swept env or evaluation keys) is in bold.` +
    paired
  );
}

export function nLabel(rows: { stats: Record<string, { n: number } | null> }[]): string {
  const ns = [...new Set(rows.flatMap((r) => Object.values(r.stats).map((s) => s?.n ?? 0)))].filter((n) => n > 0).sort((a, b) => a - b);
  return ns.length === 1 ? String(ns[0]) : ns.length ? `${ns[0]}–${ns[ns.length - 1]}` : '0';
}
