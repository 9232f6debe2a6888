/**
 * CartPole-v1: balance a pole on a cart, exactly as Gymnasium's `CartPoleEnv` (classic_control,
 * Gymnasium 1.x), the sanity env on which agents are checked against published numbers.
 *
 * ## Description
 * A pole is attached by an un-actuated joint to a cart moving along a frictionless track. The pole starts
 * upright; the goal is to keep it upright by pushing the cart left or right.
 * Source: A. G. Barto, R. S. Sutton, C. W. Anderson, "Neuronlike adaptive elements that can solve
 * difficult learning control problems", IEEE Trans. SMC 13(5), 1983.
 *
 * ## Observation
 * Box(float32, 4): cart position [−4.8, 4.8], cart velocity (−∞, ∞), pole angle [−0.418, 0.418] rad
 * (±24°), pole angular velocity (−∞, ∞). The bounds of the infinite entries are float32's max, as in Gymnasium.
 *
 * ## Actions
 * Discrete(2): 0 pushes the cart left, 1 pushes it right (force 10 N).
 *
 * ## Reward
 * +1 for every step taken, including the terminating one (option `suttonBartoReward`: 0 per step and −1 on
 * termination). The reward threshold is 475.
 *
 * ## Episode end
 * Terminated when |pole angle| > 12° or |cart position| > 2.4; truncated at 500 steps (by `make`'s TimeLimit).
 *
 * ## Options (defaults)
 * - `suttonBartoReward` (false).
 * - Reset options: `low` (−0.05), `high` (0.05): the uniform range of the initial state.
 *
 * ## Version history
 * - v1 (schedlab 0.1): Gymnasium 1.x CartPole-v1 dynamics, constants, bounds and termination.
 */
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { InvalidActionError, OptionError } from '../core/errors.js';
import { opt, parseOptions } from '../core/options.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';

const FLOAT32_MAX = 3.4028234663852886e38;

export const cartPoleOptions = {
  suttonBartoReward: opt.bool(false),
};

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
  private stepsBeyondTerminated: number | null = null;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions('CartPole-v1', options, cartPoleOptions);
    this.suttonBartoReward = o.suttonBartoReward;
    const high = [this.xThreshold * 2, FLOAT32_MAX, this.thetaThresholdRadians * 2, FLOAT32_MAX];
    this.observationSpace = new Box<Float32Array>(high.map((h) => -h), high, [4], 'float32');
    this.actionSpace = new Discrete(2);
    this.metadata = { renderModes: ['ansi'], renderFps: 50 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const low = readBound(args.options, 'low', -0.05);
    const high = readBound(args.options, 'high', 0.05);
    if (low > high) throw new OptionError('low', `(${low}) is greater than high (${high})`, 'low <= high', 'CartPole-v1 reset');
    const rng = this.npRandom;
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.stepsBeyondTerminated = null;
    return { observation: this.observation(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) {
      throw new InvalidActionError(`CartPole-v1: action ${JSON.stringify(action)} is not in the action space; accepted: 0 (push left) or 1 (push right)`);
    }
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const cosTheta = Math.cos(this.theta);
    const sinTheta = Math.sin(this.theta);
    const temp = (force + this.poleMassLength * this.thetaDot * this.thetaDot * sinTheta) / this.totalMass;
    const thetaAcc =
      (this.gravity * sinTheta - cosTheta * temp) /
      (this.length * (4.0 / 3.0 - (this.massPole * cosTheta * cosTheta) / this.totalMass));
    const xAcc = temp - (this.poleMassLength * thetaAcc * cosTheta) / this.totalMass;
    // Euler integration, as Gymnasium's default kinematics_integrator.
    this.x = this.x + this.tau * this.xDot;
    this.xDot = this.xDot + this.tau * xAcc;
    this.theta = this.theta + this.tau * this.thetaDot;
    this.thetaDot = this.thetaDot + this.tau * thetaAcc;

    const terminated =
      this.x < -this.xThreshold || this.x > this.xThreshold || this.theta < -this.thetaThresholdRadians || this.theta > this.thetaThresholdRadians;
    let reward: number;
    if (!terminated) reward = this.suttonBartoReward ? 0.0 : 1.0;
    else if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      // Gymnasium warns here; make()'s order enforcing turns it into an error before we get here.
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

  private observation(): Float32Array {
    const obs = new Float32Array(4);
    obs[0] = this.x;
    obs[1] = this.xDot;
    obs[2] = this.theta;
    obs[3] = this.thetaDot;
    return obs;
  }
}

function readBound(options: Record<string, unknown> | undefined, name: string, def: number): number {
  const v = options?.[name];
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionError(name, `is ${JSON.stringify(v)}`, 'a finite number', 'CartPole-v1 reset');
  return v;
}
