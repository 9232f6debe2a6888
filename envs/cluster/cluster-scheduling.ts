/**
 * ClusterScheduling-v0: multi-resource cluster scheduling, exactly the DeepRM model and its defaults.
 *
 * ## Description
 * A machine with numRes resources of resSlot units each runs jobs that each need a fixed number of units
 * of every resource for a fixed number of steps. Jobs arrive over time (one job sequence per episode) and
 * wait in numSlots visible slots, or, when those are full, in a backlog of backlogSize jobs (then they are
 * dropped). The agent picks slot jobs to place on the machine; the aim is a small average job slowdown
 * (completion time / length). The machine is seen T = timeHorizon steps ahead: placing a job reserves its
 * units at the earliest offset 0 … T − len − 1 where it fits in every step it runs (the reference's
 * range(0, T − len)); several jobs can be placed in one time step, since placing does not advance time.
 * Source: H. Mao, M. Alizadeh, I. Menache, S. Kandula, "Resource Management with Deep Reinforcement
 * Learning", HotNets 2016; code github.com/hongzimao/deeprm (environment.py, parameters.py,
 * job_distribution.py).
 *
 * ## Observation
 * - `image` (default): Box(0, 1, (T, width), float32), width = (resSlot + maxJobSize·numSlots)·numRes +
 *   backlogSize/T + 1 (124 at the defaults); layout in envs/cluster/image.ts (machine occupancy with one
 *   colour per job, slot jobs as len × demand blocks, backlog cells, time since the last arrival).
 *   Each observation is a new array that the env never writes again, carved from a larger block: use the
 *   array (or its `slice()`), not its `.buffer`, which holds other steps' observations too.
 * - `compact`: Box(float32, (numRes + 1)·(T + numSlots) + 1): jobs on the machine per future step, free
 *   units per resource and step, each slot's (len, demand…), backlog count; layout in envs/cluster/compact.ts.
 * `info.cluster` holds a typed state view (envs/cluster/state-view.ts) for heuristics.
 *
 * ## Actions
 * Discrete(numSlots + 1): a < numSlots places the job in slot a; numSlots is "do nothing". As in the
 * reference, picking an empty slot or a job that fits nowhere in the horizon also does nothing (time
 * advances); an action outside the space raises InvalidActionError. `info.actionMask` marks the slots whose
 * job fits now (steps 0 … len − 1) and "do nothing" (valid except under the two options below). A picked
 * job that does not fit now but fits later in the horizon is placed there, as in the reference.
 * With `maskIdleWhenDrained`, the mask marks "do nothing" invalid when the sequence has no arrival left, no
 * job is on the machine (running or placed for later) and a job waits in a slot (it fits now: every job fits
 * an empty machine). "Do nothing" then provably cannot help: the next state is this one a step later, so
 * whatever is done from there can be done from here a step earlier, finishing every job a step sooner (with
 * `end: 'no_new_job'` the episode still ends at the horizon, and waiting gains nothing either: a job is
 * charged the same waiting or running). Without the option a greedy (argmax) policy that picks "do nothing"
 * there picks it again and again until episodeMaxLength, since the observation no longer changes (the
 * compact one at once, the image once its time-since-arrival cells saturate). The option tells the policy
 * something it cannot see, though: that no job will come. A policy trained with it can learn to hold long
 * jobs back on an empty machine and leave their release to the mask.
 * With `maskIdleOnEmptyMachine`, "do nothing" is invalid whenever no job is on the machine and a job waits,
 * arrivals or not (so it implies the option above). That rule reads only what the observation shows, and
 * it is the heuristics' own (on an empty machine every job fits, and SJF and Packer place a job whenever
 * one fits, FCFS whenever its oldest does), but it is a restriction, not a free improvement: idling an
 * empty machine can pay when a short job is about to arrive that the waiting job would block. Under either
 * option an agent that honours the mask cannot stall: a state that "do nothing" leaves unchanged for good
 * has an empty machine and no arrival left, where a waiting job must then be placed.
 * The masks only advise, as for the slots: "do nothing" taken anyway still advances time, so agents that
 * ignore the mask (`random`) and the heuristics, which read `info.cluster` and never idle an empty machine,
 * play exactly as without them.
 * When a job is placed, its slot is refilled from the head of the backlog and time does not advance.
 *
 * ## Reward
 * 0 when a job is placed; when time advances, −Σ 1/len over the jobs in the system (the reference's delay,
 * hold and dismiss penalties of −1): on the machine (running or placed for later), in the slots and in the
 * backlog. Which state is charged depends on `firstEntry`:
 * - 'skip' (every deeprm-* preset, so the default): DeepRM's environment.py exactly. Reset starts empty
 *   at time 0; entry t of the sequence arrives when time advances to t, so entry 0 is never played; the
 *   step that advances time to t is charged for the jobs in the system at t, its arrivals included.
 * - 'play' (schedlab 0.1): arrivals at step 0 enter at reset; the step that advances time from t to t + 1
 *   is charged for the jobs in the system during step t, before the advance.
 * Either way each job is charged once for every step from its arrival to its finish, so over an episode
 * in which all jobs finish the return is −Σ slowdown exactly. (The reference removes finished jobs from
 * its running list while iterating over it, so a job finishing right after another one is charged one
 * step longer and can delay "all_done" by a step; schedlab charges it exactly.)
 *
 * ## Episode end
 * `end: 'no_new_job'` (default): terminated when time reaches the sequence's horizon (simuLen), i.e. its
 * arrivals are over. `end: 'all_done'`: terminated when, in addition, no job is on the machine, in the slots
 * or in the backlog. Either way, truncated when time exceeds episodeMaxLength. The step that ends an episode
 * has `info.metrics`:
 * - `slowdownAll` and `jctAll`: means over every job that arrived; a job placed counts with its finish time
 *   (fixed when it is placed), a job still waiting (slots, backlog) or dropped counts as if it started at
 *   the episode's end, the earliest it could, i.e. finishing at end + len. Leaving a job waiting can thus
 *   never score better than running it right away at the end, so a policy that leaves jobs unfinished
 *   cannot look best on these (added in schedlab 0.2; compare policies on them).
 * - `slowdown` and `jct`: means over the jobs placed only, as the reference's slow_down_cdf.py (0 when
 *   none was placed); a policy that places few jobs looks good on them: read them with `unfinished`.
 * - `finished` (jobs placed), `unfinished` (jobs still in the slots or the backlog), `dropped` (arrivals
 *   that found the backlog full), `utilization_<r>` (units used / units available over the elapsed steps,
 *   per resource) and `utilization` (their mean).
 *
 * ## Options (defaults)
 * DeepRM's parameters.py: `numRes` (2), `resSlot` (10), `timeHorizon` (20), `maxJobLen` (15, < timeHorizon),
 * `maxJobSize` (10, ≤ resSlot), `numSlots` (5), `backlogSize` (60, a multiple of timeHorizon), `newJobRate`
 * (0.7), `simuLen` (10), `numSequences` (1), `episodeMaxLength` (200), `end` ('no_new_job' | 'all_done'),
 * `firstEntry` ('skip' in every preset, DeepRM's timing | 'play', schedlab 0.1's: see Reward; with a CSV
 * job list, 'skip' refuses jobs at step 0 rather than drop them), `observation` ('image' | 'compact'),
 * `maskIdleWhenDrained` and `maskIdleOnEmptyMachine` (false: DeepRM's mask, "do nothing" always valid;
 * true: see Actions), `workload` ({type: 'bimodal'}; or {type: 'uniform', minLen, maxLen,
 * minSize, maxSize}; or {type: 'csv', path}; or, in code, a WorkloadSource object: envs/cluster/workload/),
 * `preset` ('deeprm-default', 'deeprm-train', 'deeprm-cdf', 'deeprm-load-<rate>': envs/cluster/presets.ts;
 * explicit options win).
 * Limits (CLUSTER_LIMITS in envs/cluster/options.ts; errors name them): numRes ≤ 32, resSlot ≤ 100,000,
 * timeHorizon ≤ 10,000, numSlots ≤ 10,000, backlogSize ≤ 1,000,000, simuLen ≤ 1,000,000, numSequences
 * ≤ 100,000 with simuLen · numSequences ≤ 10,000,000, episodeMaxLength ≤ 1e9, (timeHorizon − 1) · resSlot
 * · numRes ≤ 20,000,000 and an image of at most 4,000,000 cells.
 * All numSequences sequences are drawn up front from the env's generator when reset gets a seed (or on the
 * first reset); each reset plays the next one, cycling, so N evaluation episodes play N distinct
 * sequences only when numSequences ≥ N (`deeprm-default` has 1, as DeepRM: every episode replays it). Reset
 * option `sequence` plays a given one; `env.sequence` is the one being played.
 *
 * ## Version history
 * - v0 (schedlab 0.1): DeepRM's model, defaults and presets; workload sources; compact observation.
 * - v0 (schedlab 0.2): option `firstEntry`; the presets play DeepRM's timing ('skip': the first entry is
 *   never played, a step is charged after the advance), 0.1's timing is `firstEntry: 'play'`; metrics
 *   `slowdownAll` and `jctAll`; upper limits on the options that size memory.
 * - v0 (schedlab 0.3): options `maskIdleWhenDrained` and `maskIdleOnEmptyMachine` (default off; episodes,
 *   rewards and masks without them are unchanged).
 */
import { InvalidActionError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../core/options.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import { compactSpace } from './compact.js';
import { ClusterImage } from './image.js';
import { Machine } from './machine.js';
import { ObservationPool } from './observation-pool.js';
import { ENV_ID, parseClusterOptions, type ClusterParams } from './options.js';
import { renderCluster } from './render.js';
import type { ClusterStateView } from './state-view.js';
import type { JobSequence } from './workload/index.js';

export class ClusterSchedulingEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  /** The parameters after preset, defaults and checks. */
  readonly params: Readonly<ClusterParams>;

  private readonly T: number;
  private readonly R: number;
  private readonly S: number;
  private readonly machine: Machine;
  private readonly image: ClusterImage | null;
  private readonly imagePool: ObservationPool | null;
  // Slots: length 0 = empty.
  private readonly slotLen: Int32Array;
  private readonly slotDemand: Int32Array;
  private readonly slotArrival: Int32Array;
  // Backlog: a ring of backlogSize jobs from `bHead`, `bCount` long.
  private readonly bLen: Int32Array;
  private readonly bDemand: Int32Array;
  private readonly bArrival: Int32Array;
  private bHead = 0;
  private bCount = 0;
  private readonly mask: Uint8Array;

  private sequences: JobSequence[] | null = null;
  private nextSequence = 0;
  private seq!: JobSequence;
  /** Index in `seq` of the next job to arrive. */
  private nextJob = 0;
  private time = 0;
  private timeSinceLastJob = 0;
  // Episode metrics.
  private placed = 0;
  private sumSlowdown = 0;
  private sumJct = 0;
  private dropped = 0;
  /** Σ 1/len and Σ arrival/len over the dropped jobs (for slowdownAll and jctAll at the end). */
  private droppedInvLen = 0;
  private droppedArrivalOverLen = 0;
  private droppedLen = 0;
  private droppedArrival = 0;
  private readonly usedUnits: Float64Array;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const p = parseClusterOptions(options);
    this.params = p;
    this.T = p.timeHorizon;
    this.R = p.numRes;
    this.S = p.numSlots;
    this.machine = new Machine(p.timeHorizon, p.numRes, p.resSlot);
    this.image = p.observation === 'image' ? new ClusterImage(p) : null;
    this.imagePool = this.image ? new ObservationPool(this.image.data.length) : null;
    this.observationSpace = this.image ? new Box<Float32Array>(0, 1, [p.timeHorizon, this.image.width], 'float32') : compactSpace(p);
    this.actionSpace = new Discrete(p.numSlots + 1);
    this.slotLen = new Int32Array(this.S);
    this.slotDemand = new Int32Array(this.S * this.R);
    this.slotArrival = new Int32Array(this.S);
    this.bLen = new Int32Array(p.backlogSize);
    this.bDemand = new Int32Array(p.backlogSize * this.R);
    this.bArrival = new Int32Array(p.backlogSize);
    this.mask = new Uint8Array(this.S + 1);
    this.usedUnits = new Float64Array(this.R);
    this.metadata = { renderModes: ['ansi'] };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const rng = this.npRandom;
    if (args.seed !== undefined || !this.sequences) {
      this.sequences = this.params.workload.sequences(rng);
      this.nextSequence = 0;
    }
    const last = this.sequences.length - 1;
    const { sequence } = parseOptions(`${ENV_ID} reset`, args.options, {
      sequence: opt.custom<number | null>(null, `an integer in 0 … ${last}`, (v) => {
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > last) throw new OptionProblem(`is ${JSON.stringify(v)}`);
        return v as number;
      }),
    });
    if (sequence !== null) this.nextSequence = sequence;
    this.seq = this.sequences[this.nextSequence];
    this.nextSequence = (this.nextSequence + 1) % this.sequences.length;

    this.machine.reset(rng);
    this.image?.clear();
    this.slotLen.fill(0);
    this.slotDemand.fill(0);
    this.slotArrival.fill(-1);
    this.bHead = 0;
    this.bCount = 0;
    this.nextJob = 0;
    this.time = 0;
    this.timeSinceLastJob = 0;
    this.placed = 0;
    this.sumSlowdown = 0;
    this.sumJct = 0;
    this.dropped = 0;
    this.droppedInvLen = 0;
    this.droppedArrivalOverLen = 0;
    this.droppedLen = 0;
    this.droppedArrival = 0;
    this.usedUnits.fill(0);
    if (this.params.firstEntry === 'skip') {
      // DeepRM's reset starts empty: entry 0 (the step-0 arrivals) is never played.
      while (this.nextJob < this.seq.arrival.length && this.seq.arrival[this.nextJob] < 1) this.nextJob++;
    } else this.admitArrivals();
    return { observation: this.observation(), info: this.info() };
  }

  step(action: number): StepResult<Float32Array> {
    if (!Number.isInteger(action) || action < 0 || action > this.S) {
      throw new InvalidActionError(
        `${ENV_ID}: action ${JSON.stringify(action)} is not in the action space Discrete(${this.S + 1}); accepted: 0 … ${this.S - 1} (place the job in that slot) or ${this.S} (do nothing)`,
      );
    }
    if (action < this.S && this.slotLen[action] > 0 && this.tryPlace(action)) {
      return { observation: this.observation(), reward: 0, terminated: false, truncated: false, info: this.info() };
    }
    const chargeAfter = this.params.firstEntry === 'skip';
    let reward = chargeAfter ? 0 : -this.jobsInSystemInverseLength();
    this.advanceTime();
    let terminated = false;
    const arrivalsOver = this.time >= this.seq.horizon;
    if (this.params.end === 'no_new_job') terminated = arrivalsOver;
    else terminated = arrivalsOver && this.machine.runCount === 0 && this.bCount === 0 && this.slotsEmpty();
    const truncated = !terminated && this.time > this.params.episodeMaxLength;
    if (!terminated && !truncated) this.admitArrivals();
    if (chargeAfter) reward = -this.jobsInSystemInverseLength();
    const info = this.info();
    if (terminated || truncated) {
      info.metrics = this.metrics();
    }
    return { observation: this.observation(), reward, terminated, truncated, info };
  }

  /** The valid-action mask: slots whose job fits now, and "do nothing" (unless masked when drained). */
  override actionMasks(): Uint8Array {
    return this.mask.slice();
  }

  override render(): string {
    return renderCluster({
      params: this.params,
      time: this.time,
      avbl: this.machine.avbl,
      slotLen: this.slotLen,
      slotDemand: this.slotDemand,
      backlog: this.bCount,
      timeSinceLastJob: this.timeSinceLastJob,
    });
  }

  /** The job sequence this episode plays (read-only; arrivals, lengths and demands). */
  get sequence(): Readonly<JobSequence> {
    return this.seq;
  }

  /** The episode's metrics so far (as `info.metrics` at the end). */
  metrics(): Record<string, number> {
    // Waiting and dropped jobs count as if started now, the earliest they could: finish = now + len.
    const end = this.time;
    let all = this.placed + this.dropped;
    let allSlowdown = this.sumSlowdown + this.dropped + end * this.droppedInvLen - this.droppedArrivalOverLen;
    let allJct = this.sumJct + this.dropped * end + this.droppedLen - this.droppedArrival;
    const waiting = (arrival: number, len: number) => {
      all++;
      allSlowdown += (end + len - arrival) / len;
      allJct += end + len - arrival;
    };
    for (let i = 0; i < this.S; i++) if (this.slotLen[i] > 0) waiting(this.slotArrival[i], this.slotLen[i]);
    for (let k = 0, n = this.bLen.length; k < this.bCount; k++) {
      const at = (this.bHead + k) % n;
      waiting(this.bArrival[at], this.bLen[at]);
    }
    const m: Record<string, number> = {
      slowdownAll: all ? allSlowdown / all : 0,
      jctAll: all ? allJct / all : 0,
      slowdown: this.placed ? this.sumSlowdown / this.placed : 0,
      jct: this.placed ? this.sumJct / this.placed : 0,
      finished: this.placed,
      unfinished: this.bCount + this.S - this.emptySlots(),
      dropped: this.dropped,
    };
    let sum = 0;
    for (let r = 0; r < this.R; r++) {
      const u = this.time ? this.usedUnits[r] / (this.params.resSlot * this.time) : 0;
      m[`utilization_${r}`] = u;
      sum += u;
    }
    m.utilization = sum / this.R;
    return m;
  }

  private tryPlace(slot: number): boolean {
    const len = this.slotLen[slot];
    const dOff = slot * this.R;
    const offset = this.machine.findOffset(len, this.slotDemand, dOff);
    if (offset < 0) return false;
    const image = this.image;
    if (image) {
      // Cells in use form a prefix of each row, so the job's cells start right after them.
      const { avbl } = this.machine;
      const { resSlot } = this.params;
      const color = this.machine.colorValue(this.machine.place(offset, len, this.slotDemand, dOff, this.time + offset + len));
      for (let t = offset; t < offset + len; t++) {
        for (let r = 0; r < this.R; r++) {
          const d = this.slotDemand[dOff + r];
          const freeAfter = avbl[t * this.R + r];
          image.fillMachine(r, t, resSlot - freeAfter - d, d, color);
        }
      }
      image.drawSlot(slot, len, this.slotDemand, dOff, 0);
    } else {
      this.machine.place(offset, len, this.slotDemand, dOff, this.time + offset + len);
    }
    const finish = this.time + offset + len;
    this.placed++;
    this.sumJct += finish - this.slotArrival[slot];
    this.sumSlowdown += (finish - this.slotArrival[slot]) / len;
    this.slotLen[slot] = 0;
    this.slotDemand.fill(0, dOff, dOff + this.R);
    this.slotArrival[slot] = -1;
    if (this.bCount > 0) this.refillFromBacklog(slot);
    return true;
  }

  private refillFromBacklog(slot: number): void {
    const h = this.bHead;
    this.putInSlot(slot, this.bArrival[h], this.bLen[h], this.bDemand, h * this.R);
    this.bHead = (h + 1) % this.bLen.length;
    this.bCount--;
    this.image?.setBacklogCell(this.bCount, 0);
  }

  private putInSlot(slot: number, arrival: number, len: number, demand: Int32Array, dOff: number): void {
    this.slotLen[slot] = len;
    this.slotArrival[slot] = arrival;
    for (let r = 0; r < this.R; r++) this.slotDemand[slot * this.R + r] = demand[dOff + r];
    this.image?.drawSlot(slot, len, demand, dOff, 1);
  }

  private advanceTime(): void {
    const { avbl } = this.machine;
    const { resSlot } = this.params;
    for (let r = 0; r < this.R; r++) this.usedUnits[r] += resSlot - avbl[r];
    this.time++;
    this.machine.advance(this.time);
    this.image?.shiftMachine();
    if (this.timeSinceLastJob < 10) this.setTimeSinceLastJob(this.timeSinceLastJob + 1);
  }

  /** Jobs of the sequence arriving now: first empty slot, else the backlog's end, else dropped. */
  private admitArrivals(): void {
    const seq = this.seq;
    let arrived = false;
    while (this.nextJob < seq.arrival.length && seq.arrival[this.nextJob] <= this.time) {
      const j = this.nextJob++;
      arrived = true;
      const slot = this.slotLen.indexOf(0);
      if (slot >= 0) this.putInSlot(slot, this.time, seq.length[j], seq.demand, j * this.R);
      else if (this.bCount < this.bLen.length) {
        const at = (this.bHead + this.bCount) % this.bLen.length;
        this.bLen[at] = seq.length[j];
        this.bArrival[at] = this.time;
        for (let r = 0; r < this.R; r++) this.bDemand[at * this.R + r] = seq.demand[j * this.R + r];
        this.image?.setBacklogCell(this.bCount, 1);
        this.bCount++;
      } else {
        const len = seq.length[j];
        this.dropped++;
        this.droppedInvLen += 1 / len;
        this.droppedArrivalOverLen += this.time / len;
        this.droppedLen += len;
        this.droppedArrival += this.time;
      }
    }
    if (arrived) this.setTimeSinceLastJob(0);
  }

  private setTimeSinceLastJob(steps: number): void {
    if (steps === this.timeSinceLastJob) return;
    this.timeSinceLastJob = steps;
    this.image?.setTimeSinceLastJob(steps);
  }

  private jobsInSystemInverseLength(): number {
    let s = this.machine.sumInverseLength();
    for (let i = 0; i < this.S; i++) if (this.slotLen[i] > 0) s += 1 / this.slotLen[i];
    for (let k = 0, n = this.bLen.length; k < this.bCount; k++) s += 1 / this.bLen[(this.bHead + k) % n];
    return s;
  }

  private slotsEmpty(): boolean {
    for (let i = 0; i < this.S; i++) if (this.slotLen[i] > 0) return false;
    return true;
  }

  private emptySlots(): number {
    let n = 0;
    for (let i = 0; i < this.S; i++) if (this.slotLen[i] === 0) n++;
    return n;
  }

  private updateMask(): void {
    const { mask, machine } = this;
    for (let i = 0; i < this.S; i++) {
      const len = this.slotLen[i];
      mask[i] = len > 0 && machine.fitsAt(0, len, this.slotDemand, i * this.R) ? 1 : 0;
    }
    mask[this.S] = this.idleMasked() ? 0 : 1;
  }

  /** Whether an option masks "do nothing": nothing on the machine and a job in a slot (so it fits now), and, for maskIdleWhenDrained alone, no arrival left. */
  private idleMasked(): boolean {
    const p = this.params;
    if (!(p.maskIdleOnEmptyMachine || p.maskIdleWhenDrained) || this.machine.runCount > 0 || this.slotsEmpty()) return false;
    return p.maskIdleOnEmptyMachine || this.nextJob >= this.seq.arrival.length;
  }

  private info(): Info {
    this.updateMask();
    const freeNow = this.machine.avbl.slice(0, this.R);
    const cluster: ClusterStateView = {
      time: this.time,
      numRes: this.R,
      numSlots: this.S,
      slotLength: this.slotLen.slice(),
      slotDemand: this.slotDemand.slice(),
      slotArrival: this.slotArrival.slice(),
      slotFits: this.mask.slice(0, this.S),
      freeNow,
      backlog: this.bCount,
    };
    return { actionMask: this.mask.slice(), cluster: Object.freeze(cluster) };
  }

  private observation(): Float32Array {
    if (this.image) return this.imagePool!.copyOf(this.image.data);
    return this.compactObservation();
  }

  private compactObservation(): Float32Array {
    const { T, R, S, machine } = this;
    const out = new Float32Array(this.observationSpace.size);
    for (let i = 0; i < machine.runCount; i++) {
      const until = Math.min(T, machine.runFinish[i] - this.time);
      for (let t = 0; t < until; t++) out[t]++;
    }
    let k = T;
    for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) out[k++] = machine.avbl[t * R + r];
    for (let s = 0; s < S; s++) {
      out[k++] = this.slotLen[s];
      for (let r = 0; r < R; r++) out[k++] = this.slotDemand[s * R + r];
    }
    out[k] = this.bCount;
    return out;
  }
}
