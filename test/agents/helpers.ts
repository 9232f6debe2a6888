/** Tiny envs for the agent tests: masked, MultiDiscrete and Box action spaces, and one whose rewards turn NaN. */
import { InvalidActionError } from '../../core/errors.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../envs/core/env.js';
import { Box } from '../../envs/core/spaces/box.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { MultiBinary } from '../../envs/core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../envs/core/spaces/multi-discrete.js';
import { SyncVectorEnv } from '../../envs/core/vector/sync.js';
import { TimeLimit } from '../../envs/core/wrappers/time-limit.js';

abstract class ShortEnv<Act> extends Env<Float32Array, Act> {
  readonly observationSpace = new Box<Float32Array>(-1, 1, [2], 'float32');
  protected t = 0;
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    this.t = 0;
    return { observation: this.obs(), info: this.info() };
  }
  protected obs(): Float32Array {
    return Float32Array.of(this.npRandom.uniform(-1, 1), this.t / 8);
  }
  protected info(): { actionMask?: Uint8Array } {
    return {};
  }
  protected finish(reward: number): StepResult<Float32Array> {
    this.t++;
    return { observation: this.obs(), reward, terminated: this.t >= 8, truncated: false, info: this.info() };
  }
}

/** Discrete(4); actions 0 and 1 are masked (and rejected), action 3 pays 1, action 2 pays `action2Reward` (0). */
export class MaskedEnv extends ShortEnv<number> {
  readonly actionSpace = new Discrete(4);
  constructor(readonly action2Reward = 0) {
    super();
  }
  override actionMasks(): Uint8Array {
    return Uint8Array.of(0, 0, 1, 1);
  }
  protected override info() {
    return { actionMask: this.actionMasks() };
  }
  step(a: number): StepResult<Float32Array> {
    if (a === 0 || a === 1) throw new InvalidActionError(`action ${a} is masked`);
    return this.finish(a === 3 ? 1 : this.action2Reward);
  }
}

/** MultiDiscrete([3, 2]); pays 1 for a[0] = 2 and 1 for a[1] = 1. */
export class MultiEnv extends ShortEnv<Int32Array> {
  readonly actionSpace = new MultiDiscrete([3, 2]);
  step(a: Int32Array): StepResult<Float32Array> {
    if (!this.actionSpace.contains(a)) throw new InvalidActionError(`bad action ${a}`);
    return this.finish((a[0] === 2 ? 1 : 0) + (a[1] === 1 ? 1 : 0));
  }
}

/** Box(-1, 1, [1]); pays −(a − 0.5)². */
export class ContinuousEnv extends ShortEnv<Float32Array> {
  readonly actionSpace = new Box<Float32Array>(-1, 1, [1], 'float32');
  step(a: Float32Array): StepResult<Float32Array> {
    if (!this.actionSpace.contains(a)) throw new InvalidActionError(`bad action ${a}`);
    return this.finish(-((a[0] - 0.5) ** 2));
  }
}

/** Discrete(2), reward NaN from the `nanAfter`-th step on (counted over the env's life). */
export class NanEnv extends ShortEnv<number> {
  readonly actionSpace = new Discrete(2);
  private steps = 0;
  constructor(readonly nanAfter: number) {
    super();
  }
  step(_a: number): StepResult<Float32Array> {
    return this.finish(++this.steps > this.nanAfter ? NaN : 1);
  }
}

/** An action space PPO does not support. */
export class BinaryActionEnv extends ShortEnv<Int8Array> {
  readonly actionSpace = new MultiBinary(3);
  step(_a: Int8Array): StepResult<Float32Array> {
    return this.finish(0);
  }
}

export function vecOf<E extends Env<any, any>>(make: () => E, n: number, maxSteps?: number): SyncVectorEnv {
  return new SyncVectorEnv(
    Array.from({ length: n }, () => () => (maxSteps ? new TimeLimit(make(), maxSteps) : make()) as Env<unknown, unknown>),
    { autoresetMode: 'same-step' },
  );
}

/** Constant observation, reward 1 per step, never terminates (cut by a TimeLimit): its value under γ is 1 / (1 − γ). */
export class EndlessEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box<Float32Array>(-1, 1, [2], 'float32');
  readonly actionSpace = new Discrete(2);
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    return { observation: Float32Array.of(0.5, -0.5), info: {} };
  }
  step(_a: number): StepResult<Float32Array> {
    return { observation: Float32Array.of(0.5, -0.5), reward: 1, terminated: false, truncated: false, info: {} };
  }
}

/**
 * A queue of 4 items × 2 features, Discrete(4): items 0 and 2 are jobs (features drawn from N(5, 1) and
 * N(−3, 2)), items 1 and 3 empty slots padded with [100, 100] and masked. Picking the job with the larger
 * first feature pays 1.
 */
export class QueueEnv extends Env<Float32Array, number> {
  readonly observationSpace = new Box<Float32Array>(-1000, 1000, [8], 'float32');
  readonly actionSpace = new Discrete(4);
  private t = 0;
  private current = new Float32Array(8);
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    this.t = 0;
    return { observation: this.obs(), info: { actionMask: this.actionMasks() } };
  }
  override actionMasks(): Uint8Array {
    return Uint8Array.of(1, 0, 1, 0);
  }
  private obs(): Float32Array {
    const job = () => [5 + this.npRandom.normal(), -3 + 2 * this.npRandom.normal()];
    this.current = Float32Array.from([...job(), 100, 100, ...job(), 100, 100]);
    return this.current.slice();
  }
  step(a: number): StepResult<Float32Array> {
    if (a === 1 || a === 3) throw new InvalidActionError(`action ${a} is masked`);
    this.t++;
    const best = this.current[0] >= this.current[4] ? 0 : 2;
    return {
      observation: this.obs(),
      reward: a === best ? 1 : 0,
      terminated: this.t >= 8,
      truncated: false,
      info: { actionMask: this.actionMasks() },
    };
  }
}
