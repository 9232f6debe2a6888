/**
 * Workload sources of ClusterScheduling-v0: where the env's job sequences come from. A source draws all
 * sequences up front from the env's generator (as DeepRM's `generate_sequence_work` does from one seed);
 * every reset then plays the next one.
 */
import type { Rng } from '../../../core/rng.js';

/** One job sequence: jobs sorted by arrival step, as flat arrays (job i's demand at `demand[i*numRes + r]`). */
export interface JobSequence {
  /** Arrival steps run 0 … horizon − 1; "no_new_job" ends the episode when time reaches `horizon`. */
  horizon: number;
  arrival: Int32Array;
  length: Int32Array;
  demand: Int32Array;
}

/** The env parameters a source needs to draw jobs that fit the machine and the image. */
export interface WorkloadParams {
  numRes: number;
  resSlot: number;
  timeHorizon: number;
  maxJobLen: number;
  maxJobSize: number;
  newJobRate: number;
  simuLen: number;
  numSequences: number;
}

export interface WorkloadSource {
  /** `bimodal`, `uniform` or `csv`. */
  readonly type: string;
  /** The source's own options after defaults, as recorded with results. */
  readonly options: Record<string, unknown>;
  /** Draws the env's sequences; deterministic given the generator's state. */
  sequences(rng: Rng): JobSequence[];
}

/** Collects jobs of one sequence in arrival order into flat arrays. */
export class SequenceBuilder {
  private readonly arrivals: number[] = [];
  private readonly lengths: number[] = [];
  private readonly demands: number[] = [];

  constructor(private readonly numRes: number) {}

  add(arrival: number, length: number, demand: ArrayLike<number>): void {
    this.arrivals.push(arrival);
    this.lengths.push(length);
    for (let r = 0; r < this.numRes; r++) this.demands.push(demand[r]);
  }

  build(horizon: number): JobSequence {
    return {
      horizon,
      arrival: Int32Array.from(this.arrivals),
      length: Int32Array.from(this.lengths),
      demand: Int32Array.from(this.demands),
    };
  }
}

/**
 * The arrival process shared by the synthetic workloads (DeepRM's): at each of the simuLen steps of each
 * sequence a job arrives with probability newJobRate; `drawJob` fills its demand and returns its length.
 */
export function bernoulliArrivals(p: WorkloadParams, rng: Rng, drawJob: (demand: Int32Array) => number): JobSequence[] {
  const { numRes, simuLen, numSequences, newJobRate } = p;
  const demand = new Int32Array(numRes);
  const out: JobSequence[] = [];
  for (let s = 0; s < numSequences; s++) {
    const seq = new SequenceBuilder(numRes);
    for (let t = 0; t < simuLen; t++) {
      if (rng.random() >= newJobRate) continue;
      const length = drawJob(demand);
      seq.add(t, length, demand);
    }
    out.push(seq.build(simuLen));
  }
  return out;
}
