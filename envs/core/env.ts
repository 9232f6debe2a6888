/**
 * The environment contract, with Gymnasium 1.x semantics:
 * - `reset({seed, options})` returns `{observation, info}`; a seed re-creates the env's generator
 *   (`npRandom`), no seed keeps it;
 * - `step(action)` returns `{observation, reward, terminated, truncated, info}`: terminated means a
 *   terminal state of the task, truncated a cut from outside (a time limit);
 * - spaces are built in the constructor; `close()` is safe to call twice.
 *
 * Conventions shared by every schedlab env:
 * - action masks: `info.actionMask` (a Uint8Array, 1 = valid) on reset and step, and `actionMasks()`;
 * - episode metrics: on the step that ends an episode, `info.metrics` holds the env's own metrics
 *   (for example `slowdown`), which the evaluator reports beside `return` and `length`.
 */
import { Rng } from '../../core/rng.js';
import type { EnvSpec } from './registry.js';
import type { Space } from './spaces/space.js';

export type Info = { [key: string]: unknown; actionMask?: Uint8Array; metrics?: Record<string, number> };

export interface ResetArgs {
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs> {
  observation: Obs;
  info: Info;
}

export interface StepResult<Obs> {
  observation: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface EnvMetadata {
  renderModes: string[];
  renderFps?: number;
  [key: string]: unknown;
}

export abstract class Env<Obs = unknown, Act = unknown> {
  abstract readonly observationSpace: Space<Obs>;
  abstract readonly actionSpace: Space<Act>;
  metadata: EnvMetadata = { renderModes: [] };
  renderMode: string | undefined;
  /** Set by `make()`: the registration this env was built from. */
  spec: EnvSpec | undefined;
  private rng: Rng | undefined;

  /** The env's generator (Gymnasium's `np_random`); created from entropy on first use if never seeded. */
  get npRandom(): Rng {
    if (!this.rng) this.rng = new Rng();
    return this.rng;
  }

  set npRandom(rng: Rng) {
    this.rng = rng;
  }

  /** The seed of the current generator, or undefined if none was created yet. */
  get npRandomSeed(): number | undefined {
    return this.rng?.seed;
  }

  /**
   * Subclasses call `super.reset(args)` first: it re-creates the generator when a seed is given.
   * The base implementation returns nothing useful; subclasses return their first observation.
   */
  reset(args: ResetArgs = {}): ResetResult<Obs> {
    if (args.seed !== undefined) this.rng = new Rng(args.seed);
    return undefined as unknown as ResetResult<Obs>;
  }

  abstract step(action: Act): StepResult<Obs>;

  /** A text picture of the state for humans, when the env offers one. */
  render(): string | undefined {
    return undefined;
  }

  close(): void {}

  /** The innermost env, below every wrapper. */
  get unwrapped(): Env<unknown, unknown> {
    return this;
  }

  /** For masked envs: the current valid-action mask (1 = valid). */
  actionMasks?(): Uint8Array;

  toString(): string {
    return `<${this.constructor.name}${this.spec ? `<${this.spec.id}>` : ''}>`;
  }
}

/**
 * A wrapper changes one aspect of an env and forwards the rest. As in Gymnasium, spaces default to
 * the inner env's and may be overridden in the constructor.
 */
export class Wrapper<Obs = unknown, Act = unknown, InnerObs = Obs, InnerAct = Act> extends Env<Obs, Act> {
  observationSpace: Space<Obs>;
  actionSpace: Space<Act>;

  constructor(readonly env: Env<InnerObs, InnerAct>) {
    super();
    this.observationSpace = env.observationSpace as unknown as Space<Obs>;
    this.actionSpace = env.actionSpace as unknown as Space<Act>;
    this.metadata = env.metadata;
    this.renderMode = env.renderMode;
    this.spec = env.spec;
    if (env.actionMasks) this.actionMasks = () => this.env.actionMasks!();
  }

  override get npRandom(): Rng {
    return this.env.npRandom;
  }

  override set npRandom(rng: Rng) {
    this.env.npRandom = rng;
  }

  override get npRandomSeed(): number | undefined {
    return this.env.npRandomSeed;
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    return this.env.reset(args) as unknown as ResetResult<Obs>;
  }

  step(action: Act): StepResult<Obs> {
    return this.env.step(action as unknown as InnerAct) as unknown as StepResult<Obs>;
  }

  override render(): string | undefined {
    return this.env.render();
  }

  override close(): void {
    this.env.close();
  }

  override get unwrapped(): Env<unknown, unknown> {
    return this.env.unwrapped;
  }

  /** The first wrapper of the given class in the stack, or undefined. */
  static find<W>(env: Env<any, any>, cls: abstract new (...args: any[]) => W): W | undefined {
    let e: Env<any, any> | undefined = env;
    while (e) {
      if (e instanceof cls) return e as W;
      e = e instanceof Wrapper ? e.env : undefined;
    }
    return undefined;
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}
