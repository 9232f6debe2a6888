/**
 * CapacityPlanning-v0: commit capacity for a future period ahead of time, at a reserved price, before its
 * demand is known; what the reservation misses is served on demand at a higher price. The basic form is
 * the newsvendor problem, whose optimum is known exactly (the q*-quantile of demand given the history), so
 * every planner can be reported as a distance to optimal.
 *
 * ## Description
 * Time runs in periods (a day of HPC2N, a minute of the Azure LLM trace, or a step of a synthetic process).
 * At each step the planner has seen the demands up to period t and decides the capacity R of period
 * p = t + L (the lead time L of procurement or provisioning); period p is then charged
 * c·R_p + b·(D_p − R_p)⁺ (c = `reservedPrice`, b = `onDemandPrice`). In `rental` mode the decision is R_p
 * itself. In `purchase` mode capacity bought at t arrives at t + L and stays `commitPeriods` periods, so a
 * decision also holds capacity for later periods; the action names the capacity wanted for period p and the
 * env buys what is missing, max(0, wanted − capacity already committed for p) (every purchase amount is
 * reachable this way). The critical ratio q* = (b − c)/b is the optimal service level of the rental
 * problem. Source: the newsvendor model (Arrow, Harris & Marschak, Econometrica 1951; Porteus,
 * "Foundations of Stochastic Inventory Theory", 2002); Google Autopilot's recommender for the `autopilot`
 * baseline (Rzadca et al., EuroSys 2020).
 *
 * ## Observation
 * Box(float32, window + P + F): demands and capacities in [0, H], H = max(maxCapacity, the largest demand of a
 * recorded series) / scale (a synthetic path above it, probability ~1e-9 at the defaults, is clipped there),
 * the phases in [−1, 1]:
 * - the last `window` demands D_{t−window+1} … D_t, divided by the scale (the train split's mean demand;
 *   μ for `ar1`, λ for `poisson`); before the first period of the series, 0;
 * - the capacity already committed for the next L periods t+1 … t+L, same scale (P = L in rental mode,
 *   where period t + L is still open, so its entry is 0; P = L + commitPeriods − 1 in purchase mode, where
 *   purchases outlast the lead time);
 * - sin/cos of the phase of the target period p in the day and in the week, where the series has them
 *   (F = 0, 2 or 4). The rule: a series has a day phase when it carries time stamps, its period is shorter
 *   than a day and it spans at least two days; a week phase when its period is at most a day and it spans at
 *   least two weeks. So `hpc2n-daily` has the week phase only (F = 2); `azure-llm-conv` (one hour of
 *   minutes), CSV series and the synthetic processes have none.
 *
 * ## Actions
 * - `continuous`: Box(float32, 1) in [0, 1], the capacity wanted for p as a fraction of `maxCapacity`
 *   (values outside are clipped; a non-finite value is an InvalidActionError).
 * - `discrete`: Discrete(21), multipliers 0.5, 0.55, …, 1.5 of the last observed demand D_t; actions whose
 *   capacity exceeds `maxCapacity` are masked (`info.actionMask`, `actionMasks()`), action 0 never is.
 *
 * ## Reward
 * −(c·R_p + b·(D_p − R_p)⁺) / (c·scale) for the period p the step decided, so every action is charged its
 * own consequences and the hindsight oracle (R = D) scores −D_p/scale. The reward of a step is known before
 * D_p enters the observation window, which no policy acting on observations can use. `info`: `reserved`
 * (R_p), `demand` (D_p), `shortfall` (D_p − R_p)⁺, `slack` (R_p − D_p)⁺, `cost`, `oracleCost` (c·D_p),
 * `period` (p's index in the series), the state view `info.capacity` (see state-view.ts) and, in discrete
 * mode, `actionMask`.
 *
 * ## Episode end
 * Terminated after `episodeLength` decisions (the planning horizon is the task, so nothing is bootstrapped
 * beyond it), or after as many as the split holds when it holds fewer. At the end `info.metrics`:
 * `cost_ratio` (Σ cost ÷ Σ oracle cost over the episode), `shortage_rate` (share of periods with a
 * shortfall above 1e-6 of the scale), `mean_slack` (mean of (R − D)⁺/R, 0 where R = 0), `pinball_loss`
 * (mean pinball loss at q*, divided by the scale; cost − oracle cost = b·pinball, so cost_ratio − 1 =
 * b·Σ pinball/(c·Σ D)), `critical_ratio` (q*), `cost` and `oracle_cost` (episode sums, scaled by c·scale).
 *
 * ## Starting state
 * A recorded series: the first decision's period is drawn uniformly (from `npRandom`) among those that
 * leave the episode inside the split; the window may reach back before the split (for `test`, into the
 * train part: the past is known). A synthetic process: a fresh path per episode, AR(1) started from its
 * stationary law (values below 0 set to 0, probability ~1e-9 at the defaults), Poisson i.i.d. In purchase
 * mode nothing is committed before the episode.
 *
 * ## Options (defaults)
 * - `demand` ('hpc2n-daily'): 'hpc2n-daily' (busy cores per day, derived at load time from the bundled
 *   HPC2N trace) | 'azure-llm-conv' (requests per minute) | 'ar1' | 'poisson' | the path of a CSV file of
 *   one value per period (see demand.ts).
 * - `mu` (100), `phi` (0.8, |φ| < 1), `sigma` (10): AR(1), D_{t+1} = μ + φ(D_t − μ) + σ·ε.
 * - `lambda` (20): Poisson.
 * - `leadTime` (1) periods L ≥ 0 (L = 0: the period's own demand has been seen).
 * - `reservedPrice` (1) c > 0; `onDemandPrice` (3) b > c.
 * - `mode` ('rental' | 'purchase'); `commitPeriods` (4): periods a purchase stays.
 * - `window` (28): past demands observed.
 * - `split` ('train' = first 75 % of a recorded series, by decided period | 'test' = the rest); the synthetic
 *   processes ignore it.
 * - `episodeLength` (90) decisions.
 * - `maxCapacity` (null = 2 × the largest demand of the series; for `ar1` of μ + 6 stationary standard
 *   deviations, for `poisson` of λ + 6√λ + 6).
 * - `action` ('continuous' | 'discrete').
 * A series shorter than window + leadTime, or a split that leaves no decision, is an error.
 *
 * ## Version history
 * - v0 (schedlab 0.1): first version.
 */
import { InvalidActionError, OptionError, ResetNeededError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions, type OptionValues } from '../../core/options.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import { loadDemandSeries, PoissonSampler, type DemandSeries } from './demand.js';
import { criticalRatio } from './newsvendor.js';
import type { CapacityActionEncoding, CapacityState, DemandModel } from './state-view.js';

const OWNER = 'CapacityPlanning-v0';

function maxOf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}
const DAY = 86_400;
const WEEK = 7 * DAY;
/** The discrete action's multipliers of the last demand: 0.5, 0.55, …, 1.5. */
export const CAPACITY_MULTIPLIERS: readonly number[] = Array.from({ length: 21 }, (_, i) => Math.round((0.5 + 0.05 * i) * 100) / 100);

export const capacityPlanningOptions = {
  demand: opt.custom<string>(
    'hpc2n-daily',
    "'hpc2n-daily' | 'azure-llm-conv' | 'ar1' | 'poisson' | the path of a CSV file of one value per period",
    (v) => {
      if (typeof v !== 'string' || v === '') throw new OptionProblem(`must be a name or a path, got ${JSON.stringify(v)}`);
      return v;
    },
  ),
  mu: opt.number(100, { min: 0 }),
  phi: opt.custom(0.8, 'a number with |phi| < 1 (a stationary AR(1))', (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) >= 1) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
  sigma: opt.number(10, { min: 0 }),
  lambda: opt.number(20, { min: 0, minExclusive: true }),
  leadTime: opt.int(1, { min: 0 }),
  reservedPrice: opt.number(1, { min: 0, minExclusive: true }),
  onDemandPrice: opt.number(3, { min: 0, minExclusive: true }),
  mode: opt.oneOf('rental', ['rental', 'purchase'] as const),
  commitPeriods: opt.int(4, { min: 1 }),
  window: opt.int(28, { min: 1 }),
  split: opt.oneOf('train', ['train', 'test'] as const),
  episodeLength: opt.int(90, { min: 1 }),
  maxCapacity: opt.custom<number | null>(null, 'null (2 × the largest demand) or a number > 0', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
  action: opt.oneOf('continuous', ['continuous', 'discrete'] as const),
};

export type CapacityPlanningOptions = OptionValues<typeof capacityPlanningOptions>;

export class CapacityPlanningEnv extends Env<Float32Array, Float32Array | number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Box<Float32Array> | Discrete;
  readonly options: CapacityPlanningOptions;
  readonly model: DemandModel;
  /** The recorded series, or null for a synthetic process. */
  readonly recorded: DemandSeries | null;
  readonly scale: number;
  readonly maxCapacity: number;
  readonly criticalRatio: number;
  /** Entries of committed capacity in the observation. */
  readonly pipelineLength: number;
  readonly hasDayPhase: boolean;
  readonly hasWeekPhase: boolean;
  private readonly obsSize: number;
  /** sin/cos entries per period (0, 2 or 4). */
  private readonly phaseCount: number;
  /** The phases of every period of a recorded series, phaseCount per period. */
  private readonly phases: Float32Array;
  /** The episode's series as observed (scaled, clipped). */
  private scaled: Float32Array = new Float32Array(0);
  /** Upper bound of the scaled demand and capacity entries: max(maxCapacity, largest demand) / scale. */
  readonly obsHigh: number;
  /** Periods a decision's capacity lasts (commitPeriods in purchase mode, 1 in rental). */
  private readonly hold: number;
  private readonly splitFirst: number;
  private readonly splitEnd: number;
  private readonly poisson: PoissonSampler | null;

  // Episode state.
  private series: Float64Array = new Float64Array(0);
  private t0 = 0;
  private k = 0;
  private length = 0;
  /** Committed capacity of period t0 + i (i ≥ 0). */
  private capacity = new Float64Array(0);
  private active = false;
  private sums = { cost: 0, oracle: 0, shortages: 0, slack: 0, pinball: 0 };
  private mask: Uint8Array | undefined;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions(OWNER, options, capacityPlanningOptions);
    if (o.onDemandPrice <= o.reservedPrice) {
      throw new OptionError(
        'onDemandPrice',
        `is ${o.onDemandPrice}, not above reservedPrice (${o.reservedPrice})`,
        `a number > reservedPrice (${o.reservedPrice}): a shortfall must cost more than a reservation`,
        OWNER,
      );
    }
    this.options = o;
    this.criticalRatio = criticalRatio(o.reservedPrice, o.onDemandPrice);
    this.hold = o.mode === 'purchase' ? o.commitPeriods : 1;
    this.pipelineLength = o.leadTime + this.hold - 1;
    const L = o.leadTime;
    if (o.demand === 'ar1' || o.demand === 'poisson') {
      this.recorded = null;
      this.model = o.demand === 'ar1' ? { type: 'ar1', mu: o.mu, phi: o.phi, sigma: o.sigma } : { type: 'poisson', lambda: o.lambda };
      if (o.demand === 'ar1' && o.mu <= 0) throw new OptionError('mu', 'is 0', 'a number > 0 (the mean demand scales the reward)', OWNER);
      this.scale = o.demand === 'ar1' ? o.mu : o.lambda;
      const bound = o.demand === 'ar1' ? o.mu + (6 * o.sigma) / Math.sqrt(1 - o.phi * o.phi) : o.lambda + 6 * Math.sqrt(o.lambda) + 6;
      this.maxCapacity = o.maxCapacity ?? 2 * bound;
      this.poisson = o.demand === 'poisson' ? new PoissonSampler(o.lambda) : null;
      this.splitFirst = 0;
      this.splitEnd = 0;
      this.hasDayPhase = false;
      this.hasWeekPhase = false;
    } else {
      const s = loadDemandSeries(o.demand);
      this.recorded = s;
      this.model = { type: 'series', name: s.name };
      this.poisson = null;
      const n = s.values.length;
      if (n < o.window + L) {
        throw new OptionError(
          'demand',
          `'${o.demand}' holds ${n} periods, shorter than window + leadTime (${o.window} + ${L})`,
          `a series of at least window + leadTime = ${o.window + L} periods (or a smaller window)`,
          OWNER,
        );
      }
      const nTrain = Math.floor(0.75 * n);
      this.splitFirst = o.split === 'train' ? 0 : nTrain;
      this.splitEnd = o.split === 'train' ? nTrain : n;
      const firstTarget = Math.max(o.window - 1 + L, this.splitFirst);
      if (this.splitEnd - firstTarget < 1) {
        throw new OptionError(
          'split',
          `'${o.split}' of '${o.demand}' (${n} periods, periods ${this.splitFirst}–${this.splitEnd - 1}) leaves no decision after a window of ${o.window} and a lead time of ${L}`,
          'a longer series, or a smaller window or leadTime',
          OWNER,
        );
      }
      let sum = 0;
      let max = 0;
      for (let i = 0; i < nTrain; i++) sum += s.values[i];
      for (let i = 0; i < n; i++) max = Math.max(max, s.values[i]);
      this.scale = nTrain > 0 && sum > 0 ? sum / nTrain : max > 0 ? max : 1;
      this.maxCapacity = o.maxCapacity ?? (max > 0 ? 2 * max : 1);
      const p = s.periodSeconds;
      const span = p === null ? 0 : p * n;
      this.hasDayPhase = p !== null && s.startSeconds !== null && p < DAY && span >= 2 * DAY;
      this.hasWeekPhase = p !== null && s.startSeconds !== null && p <= DAY && span >= 2 * WEEK;
    }
    this.obsHigh = Math.fround(Math.max(this.maxCapacity, this.recorded ? maxOf(this.recorded.values) : 0) / this.scale);
    this.phaseCount = (this.hasDayPhase ? 2 : 0) + (this.hasWeekPhase ? 2 : 0);
    const obsSize = o.window + this.pipelineLength + this.phaseCount;
    this.obsSize = obsSize;
    this.phases = new Float32Array(this.recorded && this.phaseCount ? this.recorded.values.length * this.phaseCount : 0);
    if (this.phases.length) {
      const s = this.recorded!;
      for (let i = 0, f = 0; i < s.values.length; i++) {
        const time = s.startSeconds! + i * s.periodSeconds!;
        for (const [on, period] of [
          [this.hasDayPhase, DAY],
          [this.hasWeekPhase, WEEK],
        ] as const) {
          if (!on) continue;
          const a = (2 * Math.PI * (((time % period) + period) % period)) / period;
          this.phases[f++] = Math.sin(a);
          this.phases[f++] = Math.cos(a);
        }
      }
      this.scaled = this.scale32(s.values);
    } else if (this.recorded) this.scaled = this.scale32(this.recorded.values);
    const low = new Float64Array(obsSize);
    const high = new Float64Array(obsSize).fill(this.obsHigh);
    for (let i = o.window + this.pipelineLength; i < obsSize; i++) {
      low[i] = -1;
      high[i] = 1;
    }
    this.observationSpace = new Box<Float32Array>(low, high, [obsSize], 'float32');
    this.actionSpace = o.action === 'continuous' ? new Box<Float32Array>(0, 1, [1], 'float32') : new Discrete(CAPACITY_MULTIPLIERS.length);
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
    // Only the discrete action has masks (MaskablePPO's convention: the method exists where masks do).
    if (o.action === 'discrete') this.actionMasks = () => this.mask!.slice();
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const o = this.options;
    const rng = this.npRandom;
    const L = o.leadTime;
    if (this.recorded) {
      this.series = this.recorded.values;
      const tMin = Math.max(o.window - 1, this.splitFirst - L);
      const available = this.splitEnd - L - tMin;
      this.length = Math.min(o.episodeLength, available);
      this.t0 = tMin + rng.integers(0, available - this.length + 1);
    } else {
      this.length = o.episodeLength;
      const n = o.window + L + this.length - 1;
      const x = new Float64Array(n);
      if (this.model.type === 'ar1') {
        const { mu, phi, sigma } = this.model;
        let d = mu + (sigma / Math.sqrt(1 - phi * phi)) * rng.normal();
        for (let i = 0; i < n; i++) {
          if (i > 0) d = mu + phi * (d - mu) + sigma * rng.normal();
          x[i] = d > 0 ? d : 0;
        }
      } else {
        for (let i = 0; i < n; i++) x[i] = this.poisson!.sample(rng.random());
      }
      this.series = x;
      this.scaled = this.scale32(x);
      this.t0 = o.window - 1;
    }
    this.k = 0;
    this.capacity = new Float64Array(this.length + L + this.hold);
    this.sums = { cost: 0, oracle: 0, shortages: 0, slack: 0, pinball: 0 };
    this.active = true;
    this.updateMask();
    const info: Info = { capacity: this.view() };
    if (this.mask) info.actionMask = this.mask;
    return { observation: this.observation(), info };
  }

  step(action: Float32Array | number): StepResult<Float32Array> {
    if (!this.active) throw new ResetNeededError(`${OWNER}: step() before reset() or after the episode ended; call reset()`);
    const o = this.options;
    const L = o.leadTime;
    const t = this.t0 + this.k;
    const p = t + L;
    let wanted: number;
    if (this.mask) {
      if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= CAPACITY_MULTIPLIERS.length) {
        throw new InvalidActionError(`${OWNER}: action ${String(action)} is not in Discrete(${CAPACITY_MULTIPLIERS.length})`);
      }
      if (!this.mask[action])
        throw new InvalidActionError(
          `${OWNER}: action ${action} is masked (capacity above maxCapacity ${this.maxCapacity}); see info.actionMask`,
        );
      wanted = Math.min(this.maxCapacity, CAPACITY_MULTIPLIERS[action] * this.series[t]);
    } else {
      const a = typeof action === 'number' ? action : action?.[0];
      if (typeof a !== 'number' || !Number.isFinite(a))
        throw new InvalidActionError(`${OWNER}: action ${String(action)} is not a finite fraction in Box(0, 1, [1])`);
      wanted = (a < 0 ? 0 : a > 1 ? 1 : a) * this.maxCapacity;
    }
    // Rental sets the period's capacity; purchase buys what is missing, held for `hold` periods.
    const cap = this.capacity;
    const i = this.k + L;
    const buy = wanted > cap[i] ? wanted - cap[i] : 0;
    for (let j = 0; j < this.hold; j++) cap[i + j] += buy;
    const R = cap[i];
    const D = this.series[p];
    const c = o.reservedPrice;
    const b = o.onDemandPrice;
    const shortfall = D > R ? D - R : 0;
    const slack = R > D ? R - D : 0;
    const cost = c * R + b * shortfall;
    const oracleCost = c * D;
    const s = this.sums;
    s.cost += cost;
    s.oracle += oracleCost;
    if (shortfall > 1e-6 * this.scale) s.shortages++;
    if (R > 0) s.slack += slack / R;
    s.pinball += this.criticalRatio * shortfall + (1 - this.criticalRatio) * slack;
    this.k++;
    const terminated = this.k >= this.length;
    this.updateMask();
    const info: Info = { reserved: R, demand: D, shortfall, slack, cost, oracleCost, period: p, capacity: this.view() };
    if (terminated) {
      this.active = false;
      const n = this.length;
      const norm = c * this.scale;
      info.metrics = {
        cost_ratio: s.oracle > 0 ? s.cost / s.oracle : s.cost > 0 ? s.cost / (norm * 1e-12) : 1,
        shortage_rate: s.shortages / n,
        mean_slack: s.slack / n,
        pinball_loss: s.pinball / n / this.scale,
        critical_ratio: this.criticalRatio,
        cost: s.cost / norm,
        oracle_cost: s.oracle / norm,
      };
    }
    if (this.mask) info.actionMask = this.mask;
    const observation = this.observation();
    return { observation, reward: -cost / (c * this.scale), terminated, truncated: false, info };
  }

  override render(): string {
    if (this.length === 0) return `${OWNER}: not reset`;
    const t = this.t0 + Math.min(this.k, this.length - 1);
    const L = this.options.leadTime;
    return `${OWNER} ${this.model.type === 'series' ? this.model.name : this.model.type}, step ${this.k}/${this.length}: last demand D[${t}] = ${this.series[t].toFixed(2)}, deciding R[${t + L}]; committed ahead [${Array.from(this.pipeline(t), (v) => v.toFixed(1)).join(', ')}]; cost so far ${(this.sums.cost / (this.options.reservedPrice * this.scale)).toFixed(3)} (oracle ${(this.sums.oracle / (this.options.reservedPrice * this.scale)).toFixed(3)})`;
  }

  /** The discrete mask for the state at step k (capacity multiplier × D_t ≤ maxCapacity; action 0 always). */
  private updateMask(): void {
    if (this.options.action !== 'discrete') return;
    const d = this.series[Math.min(this.t0 + this.k, this.series.length - 1)];
    const m = this.mask;
    let same = m !== undefined;
    for (let a = 0; a < CAPACITY_MULTIPLIERS.length && same; a++)
      same = m![a] === (a === 0 || CAPACITY_MULTIPLIERS[a] * d <= this.maxCapacity * (1 + 1e-12) ? 1 : 0);
    if (same) return; // masks are never mutated once published, so an equal one is shared
    const next = new Uint8Array(CAPACITY_MULTIPLIERS.length);
    for (let a = 0; a < next.length; a++) next[a] = a === 0 || CAPACITY_MULTIPLIERS[a] * d <= this.maxCapacity * (1 + 1e-12) ? 1 : 0;
    this.mask = next;
  }

  /** Capacity committed for periods t+1 … t+pipelineLength. */
  private pipeline(t: number): Float64Array {
    const out = new Float64Array(this.pipelineLength);
    const base = t + 1 - this.t0;
    for (let j = 0; j < out.length; j++) out[j] = this.capacity[base + j] ?? 0;
    return out;
  }

  private observation(): Float32Array {
    const W = this.options.window;
    const obs = new Float32Array(this.obsSize);
    const t = this.t0 + this.k;
    const x = this.scaled;
    const from = t - W + 1;
    if (from >= 0 && t < x.length) {
      for (let j = 0; j < W; j++) obs[j] = x[from + j];
    } else {
      for (let j = 0; j < W; j++) {
        const idx = from + j;
        obs[j] = idx >= 0 && idx < x.length ? x[idx] : 0;
      }
    }
    const cap = this.capacity;
    const base = this.k + 1;
    const inv = 1 / this.scale;
    for (let j = 0; j < this.pipelineLength; j++) obs[W + j] = Math.min(this.obsHigh, (cap[base + j] ?? 0) * inv);
    const F = this.phaseCount;
    if (F > 0) {
      const at = (t + this.options.leadTime) * F;
      const f = W + this.pipelineLength;
      for (let j = 0; j < F; j++) obs[f + j] = this.phases[at + j] ?? 0;
    }
    return obs;
  }

  /** The series divided by the scale and clipped to the observation bound, as the observation holds it. */
  private scale32(x: Float64Array): Float32Array {
    const out = new Float32Array(x.length);
    const inv = 1 / this.scale;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] * inv;
      out[i] = v < this.obsHigh ? v : this.obsHigh;
    }
    return out;
  }

  /** The state view for the coming decision (a plain object, so checkers compare it by value). */
  private view(): CapacityState {
    const o = this.options;
    const series = this.series;
    const t = Math.min(this.t0 + this.k, series.length - 1);
    const mask = this.mask;
    // Rental: the target period is still open (nothing committed); purchase: what earlier purchases hold.
    let committed = RENTAL_COMMITTED;
    if (this.hold > 1) {
      const ahead: number[] = [];
      const i = this.k + o.leadTime;
      for (let j = 0; j < this.hold; j++) ahead.push(this.capacity[i + j] ?? 0);
      committed = ahead;
    }
    return {
      time: t,
      target: t + o.leadTime,
      demands: series.subarray(0, t + 1),
      lastDemand: series[t],
      leadTime: o.leadTime,
      mode: o.mode,
      commitPeriods: this.hold,
      reservedPrice: o.reservedPrice,
      onDemandPrice: o.onDemandPrice,
      criticalRatio: this.criticalRatio,
      maxCapacity: this.maxCapacity,
      scale: this.scale,
      committedFromTarget: committed,
      stepsLeft: this.length - this.k,
      model: this.model,
      season: this.recorded?.season ?? 1,
      hindsightDemand: series[t + o.leadTime] ?? NaN,
      action: mask ? { type: 'discrete', multipliers: CAPACITY_MULTIPLIERS, mask } : CONTINUOUS,
    };
  }
}

const CONTINUOUS: CapacityActionEncoding = Object.freeze({ type: 'continuous' });
const RENTAL_COMMITTED: readonly number[] = Object.freeze([0]);
