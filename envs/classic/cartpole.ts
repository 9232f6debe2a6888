/**
 * CartPole-v1: balance a pole on a cart, exactly as Gymnasium's `CartPoleEnv` (classic_control,
 * Gymnasium 1.3: the same constants, Euler integration in float64 with the same operation order, float32
 * observations, bounds, termination and rewards; test/envs/classic replays trajectories recorded from
 * Gymnasium bit for bit), the sanity env on which agents are checked against published numbers.
 * Only the random initial state differs, since our generator is Alea rather than numpy's PCG64.
 *
 * ## Description
 * A pole is attached by an un-actuated joint to a cart moving along a frictionless track. The pole starts
 * upright; the goal is to keep it upright by pushing the cart left or right.
 * Source: A. G. Barto, R. S. Sutton, C. W. Anderson, "Neuronlike adaptive elements that can solve
 * difficult learning control problems", IEEE Trans. SMC 13(5), 1983.
 *
 * ## Observation
 * Box(float32, 4): cart position [−4.8, 4.8], cart velocity (−∞, ∞), pole angle [−0.418, 0.418] rad
 * (±24°), pole angular velocity (−∞, ∞). The finite bounds are twice the termination thresholds, so the
 * terminating observation is still inside the space.
 *
 * ## Actions
 * Discrete(2): 0 pushes the cart left, 1 pushes it right (force 10 N). Anything else throws an
 * InvalidActionError (Gymnasium asserts), as does nothing: step() before the first reset() throws a
 * ResetNeededError.
 *
 * ## Reward
 * +1 for every step taken, including the terminating one (option `suttonBartoReward`: 0 per step and −1 on
 * termination). The registered reward threshold is 475 (an average return that counts as solved).
 *
 * ## Episode end
 * Terminated when pole angle < −12° or > 12°, or cart position < −2.4 or > 2.4 (tested on the float64
 * state after the step); truncated at 500 steps by `make`'s TimeLimit (the env itself never truncates).
 * Stepping on after termination gives reward 0 (−1 with `suttonBartoReward`) and a warning, as
 * Gymnasium's; through `make` it is a ResetNeededError.
 *
 * ## Starting state
 * Each of the four state variables uniform in [−0.05, 0.05) from `npRandom`; info is `{}`.
 *
 * ## Options (defaults)
 * - `suttonBartoReward` (false): 0 per step and −1 on termination, as in Barto, Sutton & Anderson.
 * - Reset options (`reset({options})`): `low` (−0.05), `high` (0.05), the uniform range of the initial
 *   state (low <= high); wide bounds may start the cart outside the observation space, as in Gymnasium.
 *
 * ## Version history
 * - v1 (schedlab 0.1): Gymnasium 1.3 CartPole-v1 dynamics, constants, bounds (±∞ for the velocities, where
 *   Gymnasium 1.0 had float32's max), termination, `sutton_barto_reward` and reset bounds.
 */
import { InvalidActionError, OptionError, ResetNeededError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../core/options.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';

export const cartPoleOptions = {
  suttonBartoReward: opt.bool(false),
};

/** The options of `reset({options})`: Gymnasium's `maybe_parse_reset_bounds`. */
export const cartPoleResetOptions = {
  low: finiteNumber(-0.05),
  high: finiteNumber(0.05),
};

function finiteNumber(def: number) {
  return opt.custom(def, 'a finite number', (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new OptionProblem(`must be a finite number, got ${JSON.stringify(v) ?? String(v)}`);
    return v;
  });
}

export class CartPoleEnv extends Env<Float32Array, number> {
  readonly gravity = 9.8;
  readonly massCart = 1.0;
  readonly massPole = 0.1;
  readonly totalMass = this.massPole + this.massCart;
  /** Half the pole's length. */
  readonly length = 0.5;
  readonly poleMassLength = this.massPole * this.length;
  readonly forceMag = 10.0;
  /** Seconds between state updates. */
  readonly tau = 0.02;
  readonly thetaThresholdRadians = (12 * 2 * Math.PI) / 360;
  readonly xThreshold = 2.4;

  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  private readonly suttonBartoReward: boolean;
  // The state is kept in float64, as Gymnasium's; observations are its float32 copy.
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;
  private hasState = false;
  private stepsBeyondTerminated: number | null = null;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions('CartPole-v1', options, cartPoleOptions);
    this.suttonBartoReward = o.suttonBartoReward;
    // Twice the termination thresholds, so that the terminating observation is still inside the space.
    const high = [this.xThreshold * 2, Infinity, this.thetaThresholdRadians * 2, Infinity];
    this.observationSpace = new Box<Float32Array>(
      high.map((h) => -h),
      high,
      [4],
      'float32',
    );
    this.actionSpace = new Discrete(2);
    this.metadata = { renderModes: ['ansi'], renderFps: 50 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const { low, high } = parseOptions('CartPole-v1 reset', args.options, cartPoleResetOptions);
    if (low > high) throw new OptionError('low', `(${low}) is greater than high (${high})`, 'low <= high', 'CartPole-v1 reset');
    const rng = this.npRandom;
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.hasState = true;
    this.stepsBeyondTerminated = null;
    return { observation: this.observation(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) {
      throw new InvalidActionError(
        `CartPole-v1: action ${describe(action)} is not in the action space Discrete(2); accepted: 0 (push left) or 1 (push right)`,
      );
    }
    if (!this.hasState) throw new ResetNeededError('CartPole-v1: call reset() before step()');
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const cosTheta = Math.cos(this.theta);
    const sinTheta = Math.sin(this.theta);
    // Same operation order as Gymnasium's (x**2 first), so that every float64 rounding agrees.
    const temp = (force + this.poleMassLength * (this.thetaDot * this.thetaDot) * sinTheta) / this.totalMass;
    const thetaAcc =
      (this.gravity * sinTheta - cosTheta * temp) / (this.length * (4.0 / 3.0 - (this.massPole * (cosTheta * cosTheta)) / this.totalMass));
    const xAcc = temp - (this.poleMassLength * thetaAcc * cosTheta) / this.totalMass;
    // Euler integration, as Gymnasium's default kinematics_integrator.
    this.x = this.x + this.tau * this.xDot;
    this.xDot = this.xDot + this.tau * xAcc;
    this.theta = this.theta + this.tau * this.thetaDot;
    this.thetaDot = this.thetaDot + this.tau * thetaAcc;

    const terminated =
      this.x < -this.xThreshold ||
      this.x > this.xThreshold ||
      this.theta < -this.thetaThresholdRadians ||
      this.theta > this.thetaThresholdRadians;
    let reward: number;
    if (!terminated) reward = this.suttonBartoReward ? 0.0 : 1.0;
    else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      // Gymnasium warns once here; through make() the order enforcing refuses the step before it gets here.
      if (this.stepsBeyondTerminated === 0) {
        process.emitWarning(
          'CartPole-v1: step() was called after the episode terminated; call reset() once terminated is true, any further steps are undefined behaviour',
          'EnvWarning',
        );
      }
      this.stepsBeyondTerminated++;
      reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
    return { observation: this.observation(), reward, terminated, truncated: false, info: {} };
  }

  override render(): string {
    const width = 41;
    const pos = Math.round(((this.x + this.xThreshold * 2) / (this.xThreshold * 4)) * (width - 1));
    const track = Array.from({ length: width }, (_, i) => (i === pos ? '#' : '-')).join('');
    return `${track}\nx=${this.x.toFixed(3)} x_dot=${this.xDot.toFixed(3)} theta=${this.theta.toFixed(4)} theta_dot=${this.thetaDot.toFixed(3)}`;
  }

  /** The float64 state (x, x_dot, theta, theta_dot). */
  get state(): [number, number, number, number] {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  /** Sets the state, as Gymnasium's tests assign `env.unwrapped.state`; a new episode starts from it. */
  set state(s: readonly number[]) {
    if (s.length !== 4 || !s.every(Number.isFinite)) {
      throw new OptionError('state', `is ${JSON.stringify(s)}`, 'four finite numbers (x, x_dot, theta, theta_dot)', 'CartPole-v1');
    }
    [this.x, this.xDot, this.theta, this.thetaDot] = s;
    this.hasState = true;
    this.stepsBeyondTerminated = null;
  }

  private observation(): Float32Array {
    const obs = new Float32Array(4);
    obs[0] = this.x;
    obs[1] = this.xDot;
    obs[2] = this.theta;
    obs[3] = this.thetaDot;
    return obs;
  }
}

function describe(action: unknown): string {
  return typeof action === 'string'
    ? `'${action}'`
    : typeof action === 'number'
      ? String(action)
      : (JSON.stringify(action) ?? String(action));
}
