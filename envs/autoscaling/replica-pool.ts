/**
 * The replicas of the service: ready ones, and starting ones that become ready `startupDelay` seconds
 * after they were requested. Scaling down removes starting replicas first, newest first, then ready
 * ones, as a Kubernetes ReplicaSet deletes not-ready pods before ready ones.
 */
export class ReplicaPool {
  ready = 0;
  /** Ready-at times of starting replicas, ascending. */
  private starting: number[] = [];

  constructor(private readonly startupDelay: number) {}

  reset(ready: number): void {
    this.ready = ready;
    this.starting = [];
  }

  get startingCount(): number {
    return this.starting.length;
  }

  /** Ready + starting: what is requested and paid for. */
  get requested(): number {
    return this.ready + this.starting.length;
  }

  /** Sets the requested count at time `now`; returns the change. */
  scaleTo(target: number, now: number): number {
    const change = target - this.requested;
    if (change > 0) {
      if (this.startupDelay === 0) this.ready += change;
      else for (let i = 0; i < change; i++) this.starting.push(now + this.startupDelay);
    } else {
      let remove = -change;
      while (remove > 0 && this.starting.length > 0) {
        this.starting.pop();
        remove--;
      }
      this.ready -= remove;
    }
    return change;
  }

  /** The earliest ready-at time of a starting replica, or Infinity. */
  get nextReadyAt(): number {
    return this.starting.length ? this.starting[0] : Infinity;
  }

  /** Marks the replicas due by `t` ready. */
  promoteUntil(t: number): void {
    while (this.starting.length && this.starting[0] <= t) {
      this.starting.shift();
      this.ready++;
    }
  }
}
