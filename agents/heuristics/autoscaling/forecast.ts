/**
 * Holt–Winters exponential smoothing of the arrival rate (Holt 1957, Winters 1960): an EWMA level,
 * an EWMA trend, and, when `seasonPeriod` > 0, additive seasonal terms over that many intervals.
 */
export class HoltWinters {
  private level = NaN;
  private trend = 0;
  private seasonal: number[];
  private t = 0;

  constructor(
    readonly alpha: number,
    readonly beta: number,
    readonly gamma: number,
    readonly seasonPeriod: number,
  ) {
    this.seasonal = new Array<number>(seasonPeriod).fill(0);
  }

  reset(): void {
    this.level = NaN;
    this.trend = 0;
    this.seasonal.fill(0);
    this.t = 0;
  }

  /** Folds in the rate observed over the latest interval. */
  observe(x: number): void {
    const m = this.seasonPeriod;
    const s = m > 0 ? this.seasonal[this.t % m] : 0;
    if (Number.isNaN(this.level)) {
      this.level = x;
    } else {
      const previous = this.level;
      this.level = this.alpha * (x - s) + (1 - this.alpha) * (previous + this.trend);
      this.trend = this.beta * (this.level - previous) + (1 - this.beta) * this.trend;
      // Seasonal terms start learning once the level has seen one full season.
      if (m > 0 && this.t >= m) this.seasonal[this.t % m] = this.gamma * (x - this.level) + (1 - this.gamma) * s;
      else if (m > 0) this.seasonal[this.t % m] = 0;
    }
    this.t++;
  }

  /** The rate forecast h intervals past the latest observation (h >= 1), never negative. */
  forecast(h: number): number {
    if (Number.isNaN(this.level)) return 0;
    const m = this.seasonPeriod;
    const s = m > 0 ? this.seasonal[(this.t - 1 + h) % m] : 0;
    return Math.max(0, this.level + h * this.trend + s);
  }

  /**
   * The highest forecast over the intervals until a replica requested now is ready and one more: what the
   * replicas requested now must carry.
   */
  peakUntilReady(startupDelay: number, controlInterval: number): number {
    const horizon = Math.ceil(startupDelay / controlInterval) + 1;
    let peak = 0;
    for (let h = 1; h <= horizon; h++) peak = Math.max(peak, this.forecast(h));
    return peak;
  }
}
