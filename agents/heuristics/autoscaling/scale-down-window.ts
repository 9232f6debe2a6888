/**
 * The predictive autoscaler's brake on scale-down: a lower count is applied only up to the highest
 * recommendation made within the last `seconds` (HPA's stabilization window, for one's own
 * recommendations); scale-up goes through at once.
 */
export class ScaleDownWindow {
  private recommendations: { time: number; replicas: number }[] = [];

  constructor(readonly seconds: number) {}

  reset(): void {
    this.recommendations = [];
  }

  /** Records `wanted` at `time` and returns the count to request from `current`. */
  desired(time: number, current: number, wanted: number): number {
    const cutoff = time - this.seconds;
    this.recommendations = this.recommendations.filter((r) => r.time > cutoff);
    this.recommendations.push({ time, replicas: wanted });
    return wanted >= current ? wanted : Math.min(current, Math.max(...this.recommendations.map((r) => r.replicas)));
  }
}
