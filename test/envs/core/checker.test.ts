import { describe, expect, it, vi } from 'vitest';
import { checkEnv, checkEnvOrThrow, dataEquivalence, EnvCheckError, firstDifference } from '../../../envs/core/checker/index.js';
import {
  Box,
  Dict,
  Discrete,
  Env,
  make,
  MultiDiscrete,
  PassiveEnvChecker,
  Rng,
  TimeLimit,
  type DictValue,
  type ResetArgs,
  type ResetResult,
  type StepResult,
} from '../../../envs/index.js';

/**
 * A small, correct masked env: a point on [-1, 1] pushed left, not at all or right (action 1 = stay),
 * with a little noise from npRandom; "left" is masked out near the left edge. Each broken env below
 * overrides one thing of it.
 */
class ToyEnv extends Env<Float32Array, number> {
  observationSpace = new Box<Float32Array>(-1, 1, [2], 'float32');
  actionSpace = new Discrete(3);
  protected pos = 0;
  protected t = 0;

  constructor() {
    super();
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    this.pos = this.npRandom.uniform(-0.5, 0.5);
    this.t = 0;
    return { observation: this.obs(), info: { actionMask: this.mask() } };
  }

  override step(action: number): StepResult<Float32Array> {
    this.pos = Math.max(-1, Math.min(1, this.pos + (action - 1) * 0.1 + this.npRandom.uniform(-0.01, 0.01)));
    this.t++;
    return {
      observation: this.obs(),
      reward: -Math.abs(this.pos),
      terminated: Math.abs(this.pos) >= 1,
      truncated: false,
      info: { actionMask: this.mask() },
    };
  }

  override actionMasks(): Uint8Array {
    return this.mask();
  }

  protected mask(): Uint8Array {
    return Uint8Array.of(this.pos <= -0.95 ? 0 : 1, 1, 1);
  }

  override render(): string {
    return `pos=${this.pos.toFixed(3)}`;
  }

  protected obs(): Float32Array {
    return Float32Array.of(this.pos, Math.min(this.t / 100, 1));
  }
}

function failures(env: Env<any, any>): Record<string, string> {
  const report = checkEnv(env);
  return Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.message]));
}

/** Each broken env, the checks that must fail on it, and what their messages must say. */
const broken: { what: string; make: () => Env<any, any>; fails: Record<string, RegExp> }[] = [
  {
    what: 'an env that is not an Env',
    // @ts-expect-error -- a duck-typed object with reset/step/close, not an Env: the checker must refuse it
    make: () => ({ reset: () => ({}), step: () => ({}), close: () => {} }),
    fails: { 'env type': /must extend Env/ },
  },
  {
    what: 'an observation space that is not a Space',
    make: () => Object.assign(new ToyEnv(), { observationSpace: { low: -1, high: 1 } }),
    fails: { 'observation space': /the observation space is \{"low":-1,"high":1\}, not a Space/ },
  },
  {
    what: 'an action space whose samples it does not contain',
    make: () => {
      const env = new ToyEnv();
      env.actionSpace = new (class extends Discrete {
        override sample(): number {
          return 3;
        }
      })(3);
      return env;
    },
    fails: { 'action space': /does not contain its own sample 3/ },
  },
  {
    what: 'a reset observation outside the space',
    make: () =>
      new (class extends ToyEnv {
        protected override obs(): Float32Array {
          return Float32Array.of(this.pos, this.t === 0 ? 2 : 0);
        }
      })(),
    fails: { 'reset return': /observation returned by reset\(\) is not within the observation space: entry 1 is 2, outside \[-1, 1\]/ },
  },
  {
    what: 'a reset info that is not an object',
    make: () =>
      new (class extends ToyEnv {
        override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
          // @ts-expect-error -- broken on purpose: reset() returns a null info
          return { ...super.reset(args), info: null };
        }
      })(),
    fails: {
      'reset return': /reset\(\) must return an info object; its info is null/,
      'action mask': /the env has an actionMasks\(\) method but the info returned by reset\(\) has no actionMask/,
    },
  },
  {
    what: 'a step observation of the wrong dtype',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number): StepResult<Float32Array> {
          const r = super.step(a);
          // @ts-expect-error -- broken on purpose: a float64 observation for a float32 Box
          return { ...r, observation: Float64Array.from(r.observation) };
        }
      })(),
    fails: {
      'step observation':
        /observation returned by step\(\) is not within the observation space: Float64Array\(2\) \[.*\] is a Float64Array; values of Box\(-1, 1, \(2,\), float32\) are Float32Arrays/,
    },
  },
  {
    what: 'non-boolean terminated and truncated flags',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number): StepResult<Float32Array> {
          // @ts-expect-error -- broken on purpose: flags that are not booleans
          return { ...super.step(a), terminated: 0, truncated: 'no' };
        }
      })(),
    fails: {
      'step flags':
        /terminated returned by step\(\) must be a boolean, got number 0; truncated returned by step\(\) must be a boolean, got string "no"/,
      'not truncated after one step': /truncated is "no" after one step/,
    },
  },
  {
    what: 'a NaN reward',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number) {
          return { ...super.step(a), reward: NaN };
        }
      })(),
    // NaN never equals NaN, but the determinism check treats two NaN rewards as the same.
    fails: { 'step reward': /the reward returned by step\(\) is NaN/ },
  },
  {
    what: 'an infinite reward',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number) {
          return { ...super.step(a), reward: -Infinity };
        }
      })(),
    fails: { 'step reward': /is -Infinity; it must be finite/ },
  },
  {
    what: 'a reward that is not a number',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number): StepResult<Float32Array> {
          // @ts-expect-error -- broken on purpose: a reward that is a string
          return { ...super.step(a), reward: '1' };
        }
      })(),
    fails: { 'step reward': /must be a number, got string "1"/ },
  },
  {
    what: 'a step result without truncated (the old four-part API)',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number): StepResult<Float32Array> {
          const { truncated: _dropped, ...rest } = super.step(a);
          // @ts-expect-error -- broken on purpose: Gym's old four-part result, without truncated
          return rest;
        }
      })(),
    fails: {
      'step return': /must return \{observation, reward, terminated, truncated, info\}; truncated is missing/,
      'not truncated after one step': /truncated is undefined after one step/,
    },
  },
  {
    what: 'a reset that is not deterministic under a seed',
    make: () => {
      let calls = 0;
      return new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          const r = super.reset(args);
          this.pos = ++calls / 1000; // depends on how often reset ran, not on the seed
          return { ...r, observation: this.obs() };
        }
      })();
    },
    fails: {
      'reset seed determinism':
        /reset\(\{seed: 123\}\) twice gave different observations \(observation\[0\]: .* vs .*\); draw all randomness from this\.npRandom/,
      // The first step starts from the reset state, so it differs too.
      'step determinism': /step 1 \(action \d\) after reset\(\{seed: 123\}\) gave different observations/,
    },
  },
  {
    what: 'an unseeded reset that does not continue the seeded generator',
    make: () => {
      const own = new Rng(1);
      return new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          const r = super.reset(args);
          if (args.seed === undefined) this.pos = own.uniform(-0.5, 0.5);
          return { ...r, observation: this.obs() };
        }
      })();
    },
    fails: { 'reset seed determinism': /the unseeded reset\(\) after reset\(\{seed: 123\}\) gave different observations the two times/ },
  },
  {
    what: 'an env that keeps its own generator instead of npRandom (the RNG is not re-created by super.reset)',
    make: () =>
      new (class extends ToyEnv {
        private own = new Rng(0);
        override reset(args: ResetArgs = {}) {
          super.reset({}); // the seed is not passed on
          if (args.seed !== undefined) this.own = new Rng(args.seed);
          this.pos = this.own.uniform(-0.5, 0.5);
          this.t = 0;
          return { observation: this.obs(), info: { actionMask: this.mask() } };
        }
      })(),
    fails: {
      'reset seeds the generator':
        /after reset\(\{seed: 123\}\) the env's generator (does not exist|has seed \d+); reset\(\) must call super\.reset\(args\)/,
      // step() draws from npRandom, which the seed never reached.
      'step determinism':
        /the env's generator state differs at step 1 \(action \d\) after reset\(\{seed: 123\}\) done twice; step\(\) must draw only from this\.npRandom/,
    },
  },
  {
    what: 'an env that ignores the seed (always seeds its generator with 7)',
    make: () =>
      new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          return super.reset(args.seed === undefined ? args : { ...args, seed: 7 });
        }
      })(),
    fails: { 'reset seeds the generator': /after reset\(\{seed: 123\}\) the env's generator has seed 7/ },
  },
  {
    what: 'an env whose generator is not the same after the same seed twice',
    make: () => {
      let calls = 0;
      return new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          const r = super.reset(args);
          for (let i = 0; i < calls % 3; i++) this.npRandom.random(); // a varying number of draws after the observation
          calls++;
          return r;
        }
      })();
    },
    fails: {
      'reset seeds the generator': /the env's generator state differs after reset\(\{seed: 123\}\) twice/,
      'reset seed determinism': /unseeded reset\(\) after reset\(\{seed: 123\}\) gave different observations/,
      'step determinism': /generator state differs/,
    },
  },
  {
    what: 'a reset that rejects options',
    make: () =>
      new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          if (args.options !== undefined) throw new TypeError('reset() got an unexpected keyword argument options');
          return super.reset(args);
        }
      })(),
    fails: { 'reset options': /threw TypeError: reset\(\) got an unexpected keyword argument options/ },
  },
  {
    what: 'a step that is not deterministic',
    make: () => {
      let steps = 0;
      return new (class extends ToyEnv {
        override step(a: number) {
          const r = super.step(a);
          return { ...r, reward: r.reward + ++steps };
        }
      })();
    },
    fails: { 'step determinism': /^step 1 \(action \d\) after reset\(\{seed: 123\}\) gave different rewards \(-?[\d.]+ vs -?[\d.]+\)$/ },
  },
  {
    what: 'a step that draws from its own generator only from the second step of an episode on',
    make: () => {
      const own = new Rng(3);
      return new (class extends ToyEnv {
        override step(a: number) {
          const r = super.step(a);
          return this.t >= 2 ? { ...r, reward: r.reward - own.random() } : r;
        }
      })();
    },
    fails: { 'step determinism': /^step 2 \(action \d\) after reset\(\{seed: 123\}\) gave different rewards/ },
  },
  {
    what: 'a step that draws from another generator',
    make: () => {
      const other = new Rng(5);
      return new (class extends ToyEnv {
        override step(a: number) {
          const r = super.step(a);
          r.info.noise = other.random();
          return r;
        }
      })();
    },
    fails: { 'step determinism': /^step 1 \(action \d\) after reset\(\{seed: 123\}\) gave different infos \(info\.noise: .* vs .*\)$/ },
  },
  {
    what: 'truncated true after one step',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number) {
          return { ...super.step(a), truncated: true };
        }
      })(),
    fails: { 'not truncated after one step': /truncated is true after one step/ },
  },
  {
    what: 'close() that throws the second time',
    make: () =>
      new (class extends ToyEnv {
        private closed = false;
        override close(): void {
          if (this.closed) throw new Error('already closed');
          this.closed = true;
        }
      })(),
    fails: { 'close twice': /calling close\(\) on the closed env threw Error: already closed; close\(\) must be safe to call twice/ },
  },
  {
    what: 'an action mask that is a plain array',
    make: () =>
      new (class extends ToyEnv {
        override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
          const r = super.reset(args);
          // @ts-expect-error -- broken on purpose: a plain array as the mask
          return { ...r, info: { actionMask: [1, 1, 1] } };
        }
      })(),
    fails: { 'action mask': /info\.actionMask after reset\(\) must be a Uint8Array \(1 = valid\), got Array\(3\) \[1, 1, 1\]/ },
  },
  {
    what: 'an action mask of the wrong length',
    make: () =>
      new (class extends ToyEnv {
        protected override mask(): Uint8Array {
          return Uint8Array.of(1, 1);
        }
      })(),
    fails: { 'action mask': /info\.actionMask after reset\(\) has length 2; the action space Discrete\(3\) needs 3/ },
  },
  {
    what: 'an action mask with an entry other than 0 or 1',
    make: () =>
      new (class extends ToyEnv {
        protected override mask(): Uint8Array {
          return Uint8Array.of(1, 2, 1);
        }
      })(),
    fails: { 'action mask': /has 2 at index 1; entries must be 0 or 1/ },
  },
  {
    what: 'an action mask that allows nothing',
    make: () =>
      new (class extends ToyEnv {
        protected override mask(): Uint8Array {
          return new Uint8Array(3);
        }
      })(),
    fails: { 'action mask': /allows no action although the episode goes on/ },
  },
  {
    what: 'actionMasks() that disagrees with info.actionMask',
    make: () =>
      new (class extends ToyEnv {
        override reset(args: ResetArgs = {}) {
          const r = super.reset(args);
          return { ...r, info: { actionMask: Uint8Array.of(0, 1, 1) } };
        }
      })(),
    fails: { 'action mask': /actionMasks\(\) after reset\(\) disagrees with info\.actionMask \(mask\[0\]: 0 vs 1/ },
  },
  {
    what: 'an info.actionMask without an actionMasks() method',
    make: () => Object.assign(new ToyEnv(), { actionMasks: undefined }),
    fails: { 'action mask': /the info returned by reset\(\) has an actionMask but the env has no actionMasks\(\) method/ },
  },
  {
    what: 'a step info without the mask',
    make: () =>
      new (class extends ToyEnv {
        override step(a: number) {
          return { ...super.step(a), info: {} };
        }
      })(),
    fails: { 'action mask': /the info returned by step\(\) has no actionMask/ },
  },
  {
    what: "render() that returns nothing for the declared 'ansi' mode",
    make: () =>
      new (class extends ToyEnv {
        override render(): string {
          // @ts-expect-error -- broken on purpose: no text for the declared 'ansi' mode
          return undefined;
        }
      })(),
    fails: { render: /render\(\) after reset\(\) must return a string for the 'ansi' render mode, got undefined/ },
  },
  {
    what: 'render modes that are not strings',
    make: () => Object.assign(new ToyEnv(), { metadata: { renderModes: [1] } }),
    fails: { render: /metadata\.renderModes must be a list of strings, got Array\(1\) \[1\]/ },
  },
];

describe('checkEnv', () => {
  it('passes a correct env and says what each check verified', () => {
    const report = checkEnv(new ToyEnv());
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.warnings).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual([
      'env type',
      'action space',
      'observation space',
      'reset return',
      'reset seed determinism',
      'reset seeds the generator',
      'reset options',
      'step return',
      'step flags',
      'step reward',
      'step observation',
      'step determinism',
      'not truncated after one step',
      'action mask',
      'render',
      'close twice',
    ]);
    expect(report.checks.every((c) => c.message.length > 0)).toBe(true);
  });

  for (const { what, make: build, fails } of broken) {
    it(`catches ${what}`, () => {
      const failed = failures(build());
      expect(Object.keys(failed).sort()).toEqual(Object.keys(fails).sort());
      for (const [name, pattern] of Object.entries(fails)) expect(failed[name]).toMatch(pattern);
    });
  }

  it('skips the render check on request', () => {
    const env = new (class extends ToyEnv {
      override render(): string {
        // @ts-expect-error -- broken on purpose: no text for the declared 'ansi' mode
        return undefined;
      }
    })();
    const report = checkEnv(env, { skipRenderCheck: true });
    expect(report.passed).toBe(true);
    expect(report.checks.map((c) => c.name)).not.toContain('render');
  });

  it('skips the seed comparisons for an env whose spec is marked nondeterministic', () => {
    let calls = 0;
    const env = new (class extends ToyEnv {
      override reset(args: ResetArgs = {}) {
        const r = super.reset(args);
        this.pos = ++calls / 1000;
        return { ...r, observation: this.obs() };
      }
    })();
    env.spec = { id: 'Noisy-v0', entryPoint: () => env, nondeterministic: true };
    const report = checkEnv(env);
    expect(report.passed).toBe(true);
    expect(report.checks.find((c) => c.name === 'reset seed determinism')?.message).toMatch(/nondeterministic/);
  });

  it('warns about a wrapped env but still runs every check through it', () => {
    const report = checkEnv(new TimeLimit(new ToyEnv(), 100));
    expect(report.passed).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/is wrapped \(the unwrapped env is <ToyEnv>\)/);
    // A time limit of one step is a truncation after one step: the checker sees the wrappers' behaviour.
    expect(failures(new TimeLimit(new ToyEnv(), 1))).toEqual({
      'not truncated after one step': expect.stringMatching(/truncated is true/),
    });
  });

  it('checkEnvOrThrow returns the report of a passing env and throws an EnvCheckError naming each failure', () => {
    expect(checkEnvOrThrow(new ToyEnv()).passed).toBe(true);
    const bad = new (class extends ToyEnv {
      override step(a: number) {
        return { ...super.step(a), reward: NaN, truncated: true };
      }
    })();
    let error: unknown;
    try {
      checkEnvOrThrow(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvCheckError);
    const message = (error as Error).message;
    expect(message).toMatch(/^ToyEnv fails 2 env checks:/);
    expect(message).toMatch(/ {2}- step reward: the reward returned by step\(\) is NaN/);
    expect(message).toMatch(/ {2}- not truncated after one step: truncated is true/);
    expect((error as EnvCheckError).report.passed).toBe(false);
  });

  it('passes CartPole-v1, raw and through make, with Gymnasium’s infinite-bound warnings', () => {
    for (const env of [make('CartPole-v1').unwrapped, make('CartPole-v1')]) {
      const report = checkEnv(env);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.env).toBe('CartPole-v1');
      expect(report.warnings).toContain('a Box observation space maximum value is Infinity; this is probably too high');
    }
  });
});

describe('dataEquivalence', () => {
  it('compares typed arrays with tolerance, or exactly, and everything else strictly', () => {
    expect(dataEquivalence(Float32Array.of(1, 2), Float32Array.of(1, 2 + 1e-6))).toBe(true);
    expect(dataEquivalence(Float32Array.of(1, 2), Float32Array.of(1, 2 + 1e-6), true)).toBe(false);
    expect(dataEquivalence(Float32Array.of(1), Float64Array.of(1))).toBe(false);
    expect(dataEquivalence({ a: [1, Uint8Array.of(1)], b: 2 }, { b: 2, a: [1, Uint8Array.of(1)] })).toBe(true);
    expect(firstDifference({ a: { b: [1, 2] } }, { a: { b: [1, 3] } })).toBe('a.b[1]: 2 vs 3');
    expect(firstDifference({ a: 1 }, { a: 1, c: 2 })).toBe('value: keys [a] vs [a, c]');
    expect(dataEquivalence(0.1 + 0.2, 0.3)).toBe(false);
  });
});

describe('PassiveEnvChecker', () => {
  it('warns once about the first reset and the first step, and never about a correct env', () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const good = new PassiveEnvChecker(new ToyEnv());
      good.reset({ seed: 0 });
      good.step(1);
      expect(warnings).not.toHaveBeenCalled();

      const bad = new PassiveEnvChecker(
        new (class extends ToyEnv {
          override step(a: number): StepResult<Float32Array> {
            // @ts-expect-error -- broken on purpose: terminated is a number
            return { ...super.step(a), reward: NaN, terminated: 1 };
          }
        })(),
      );
      bad.reset({ seed: 0 });
      bad.step(1);
      bad.step(1);
      expect(warnings.mock.calls.map((c) => c[0])).toEqual([
        'ToyEnv: terminated returned by step() must be a boolean, got number 1',
        'ToyEnv: the reward returned by step() is NaN',
      ]);
      expect(warnings.mock.calls.map((c) => c[1])).toEqual(['EnvCheckerWarning', 'EnvCheckerWarning']);
    } finally {
      warnings.mockRestore();
    }
  });

  it('warns about a space that is not a Space when built, and about an observation outside the space', () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      new PassiveEnvChecker(Object.assign(new ToyEnv(), { actionSpace: 3 }));
      const outside = new PassiveEnvChecker(
        new (class extends ToyEnv {
          protected override obs(): Float32Array {
            return Float32Array.of(5, 0);
          }
        })(),
      );
      outside.reset({ seed: 0 });
      expect(warnings.mock.calls.map((c) => c[0])).toEqual([
        expect.stringMatching(/the action space is 3, not a Space/),
        expect.stringMatching(/the observation returned by reset\(\) is not within the observation space: entry 0 is 5, outside \[-1, 1\]/),
      ]);
    } finally {
      warnings.mockRestore();
    }
  });
});

/** A correct env with composite spaces: a Dict observation and a MultiDiscrete action with a flat mask. */
class CompositeEnv extends Env<DictValue, Int32Array> {
  observationSpace = new Dict({ pos: new Box(-1, 1, [2], 'float32'), phase: new Discrete(4) });
  actionSpace = new MultiDiscrete([2, 3]);
  protected phase = 0;

  override reset(args: ResetArgs = {}) {
    super.reset(args);
    this.phase = this.npRandom.integers(0, 4);
    return { observation: this.obs(), info: { actionMask: this.mask() } };
  }

  override step(action: Int32Array) {
    if (!this.actionSpace.contains(action)) throw new Error(`bad action ${action}`);
    this.phase = (this.phase + 1) % 4;
    return { observation: this.obs(), reward: 1, terminated: false, truncated: false, info: { actionMask: this.mask() } };
  }

  override actionMasks(): Uint8Array {
    return this.mask();
  }

  protected mask(): Uint8Array {
    // One entry per value of each dimension (2 + 3), MaskablePPO's flattened MultiDiscrete mask.
    return Uint8Array.of(1, 1, 1, this.phase === 0 ? 0 : 1, 1);
  }

  private obs() {
    return { pos: Float32Array.of(0, this.phase / 4), phase: this.phase };
  }
}

describe('checkEnv with composite spaces', () => {
  it('passes a Dict-observation, MultiDiscrete-action env with a flat mask', () => {
    const report = checkEnv(new CompositeEnv());
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('wants a MultiDiscrete mask of sum(nvec) entries and refuses an empty Dict space', () => {
    const shortMask = new (class extends CompositeEnv {
      protected override mask(): Uint8Array {
        return Uint8Array.of(1, 1);
      }
    })();
    expect(failures(shortMask)).toEqual({
      'action mask': 'info.actionMask after reset() has length 2; the action space MultiDiscrete([2 3]) needs 5',
    });
    const empty = Object.assign(new CompositeEnv(), { observationSpace: new Dict({}) });
    expect(failures(empty)).toEqual({ 'observation space': 'the observation space is an empty Dict, which is not allowed' });
  });

  it('warns, as Gymnasium, about a seed() method on the env', () => {
    const env = Object.assign(new ToyEnv(), { seed: () => [0] });
    expect(checkEnv(env).warnings).toContain(
      'the env has a seed() method; seeding is done with reset({seed}) only (Gymnasium dropped Env.seed)',
    );
  });
});
