/**
 * A user's own source, passed programmatically as the `workload` option (any object with a
 * `sequences(rng)` method returning JobSequence[]). Its sequences are checked against the env's limits
 * each time they are drawn, since the env relies on them (lengths fit the horizon, demands fit the image).
 */
import { OptionError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import type { JobSequence, WorkloadParams, WorkloadSource } from './source.js';

export class CheckedWorkload implements WorkloadSource {
  readonly type: string;
  readonly options: Record<string, unknown>;

  constructor(
    private readonly inner: { sequences(rng: Rng): JobSequence[]; type?: string; options?: Record<string, unknown> },
    private readonly p: WorkloadParams,
  ) {
    this.type = inner.type ?? 'custom';
    this.options = inner.options ?? { type: this.type };
  }

  sequences(rng: Rng): JobSequence[] {
    const seqs = this.inner.sequences(rng);
    if (!Array.isArray(seqs) || seqs.length === 0) this.fail('returned no sequences', 'a non-empty array of JobSequence');
    seqs.forEach((s, i) => this.check(s, i));
    return seqs;
  }

  private check(s: JobSequence, i: number): void {
    const { numRes, maxJobLen, maxJobSize } = this.p;
    const where = `sequence ${i}`;
    if (!Number.isInteger(s?.horizon) || s.horizon < 1) this.fail(`${where} has horizon ${s?.horizon}`, 'an integer >= 1');
    const n = s.arrival?.length;
    if (
      !(s.arrival instanceof Int32Array) ||
      !(s.length instanceof Int32Array) ||
      !(s.demand instanceof Int32Array) ||
      s.length.length !== n ||
      s.demand.length !== n * numRes
    ) {
      this.fail(
        `${where} is not a JobSequence of matching arrays`,
        `Int32Arrays arrival, length (n each) and demand (n × numRes = n × ${numRes})`,
      );
    }
    for (let j = 0; j < n; j++) {
      const a = s.arrival[j];
      if (a < (j ? s.arrival[j - 1] : 0) || a >= s.horizon)
        this.fail(`${where}, job ${j} has arrival ${a}`, `non-decreasing arrivals in 0 … horizon − 1 = ${s.horizon - 1}`);
      if (s.length[j] < 1 || s.length[j] > maxJobLen)
        this.fail(`${where}, job ${j} has length ${s.length[j]}`, `1 … maxJobLen = ${maxJobLen}`);
      let total = 0;
      for (let r = 0; r < numRes; r++) {
        const d = s.demand[j * numRes + r];
        if (d < 0 || d > maxJobSize) this.fail(`${where}, job ${j} demands ${d} of resource ${r}`, `0 … maxJobSize = ${maxJobSize}`);
        total += d;
      }
      if (total === 0) this.fail(`${where}, job ${j} demands nothing`, 'at least one unit of some resource');
    }
  }

  private fail(problem: string, accepted: string): never {
    throw new OptionError('workload', `(a custom source): ${problem}`, accepted, 'ClusterScheduling-v0');
  }
}
