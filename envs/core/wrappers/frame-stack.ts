import { OptionError } from '../../../core/errors.js';
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { Box, type BoxValue } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { MultiDiscrete } from '../spaces/multi-discrete.js';
import type { Space } from '../spaces/space.js';

export type FramePadding = 'reset' | 'zero';

/**
 * Gymnasium 1.x's FrameStackObservation: the observation is the last `stackSize` observations, oldest
 * first, stacked along a new leading axis (Box(shape) → Box([stackSize, ...shape]); Discrete(n) →
 * MultiDiscrete of stackSize entries). After a reset the missing frames are padded with the reset
 * observation (`padding: 'reset'`, the default) or with zeros (`'zero'`; Discrete pads with `start`).
 */
export class FrameStack<Act> extends Wrapper<BoxValue | Int32Array, Act, BoxValue | number, Act> {
  override observationSpace: Space<BoxValue | Int32Array>;
  private readonly frames: (ArrayLike<number> | number)[] = [];
  private readonly frameSize: number;
  private readonly zeroFrame: ArrayLike<number> | number;
  private readonly makeStacked: () => BoxValue | Int32Array;

  constructor(
    env: Env<BoxValue | number, Act>,
    readonly stackSize: number,
    readonly padding: FramePadding = 'reset',
  ) {
    super(env);
    if (!Number.isInteger(stackSize) || stackSize <= 0)
      throw new OptionError('stackSize', `is ${stackSize}`, 'a positive integer', 'FrameStack');
    if (padding !== 'reset' && padding !== 'zero')
      throw new OptionError('padding', `is ${JSON.stringify(padding)}`, "'reset' or 'zero'", 'FrameStack');
    const inner = env.observationSpace;
    if (inner instanceof Box) {
      const tile = (a: Float64Array) => Array.from({ length: stackSize }, () => Array.from(a)).flat();
      const box = new Box(tile(inner.low), tile(inner.high), [stackSize, ...inner.shape!], inner.boxDtype);
      this.observationSpace = box;
      this.frameSize = inner.size;
      this.zeroFrame = (inner as Box).zeros();
      this.makeStacked = () => box.zeros();
    } else if (inner instanceof Discrete) {
      this.observationSpace = new MultiDiscrete(new Array(stackSize).fill(inner.n), new Array(stackSize).fill(inner.start));
      this.frameSize = 1;
      this.zeroFrame = inner.start;
      this.makeStacked = () => new Int32Array(stackSize);
    } else {
      throw new OptionError('env', `has observation space ${inner}`, 'a Box or Discrete observation space', 'FrameStack');
    }
  }

  override reset(args: ResetArgs = {}): ResetResult<BoxValue | Int32Array> {
    const { observation, info } = this.env.reset(args);
    const pad = this.padding === 'reset' ? copy(observation) : this.zeroFrame;
    this.frames.length = 0;
    for (let i = 0; i < this.stackSize - 1; i++) this.frames.push(pad);
    this.frames.push(copy(observation));
    return { observation: this.stacked(), info };
  }

  override step(action: Act): StepResult<BoxValue | Int32Array> {
    const r = this.env.step(action);
    this.frames.push(copy(r.observation));
    if (this.frames.length > this.stackSize) this.frames.shift();
    return { observation: this.stacked(), reward: r.reward, terminated: r.terminated, truncated: r.truncated, info: r.info };
  }

  private stacked(): BoxValue | Int32Array {
    const out = this.makeStacked();
    this.frames.forEach((f, i) => {
      if (typeof f === 'number') out[i] = f;
      else for (let j = 0; j < this.frameSize; j++) out[i * this.frameSize + j] = f[j];
    });
    return out;
  }
}

function copy(x: BoxValue | number): ArrayLike<number> | number {
  return typeof x === 'number' ? x : Array.from(x);
}
