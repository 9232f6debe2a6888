import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CartPoleEnv, InvalidActionError, make, OptionError, ResetNeededError, type Env } from '../../../envs/index.js';

/**
 * Trajectories recorded from Gymnasium 1.3's own CartPoleEnv by fixtures/cartpole_reference.py: from a
 * set float64 state, a fixed action sequence until termination and a few steps beyond.
 */
interface Reference {
  gymnasium: string;
  spec: { id: string; max_episode_steps: number; reward_threshold: number };
  observation_space: { low: (number | string)[]; high: (number | string)[]; dtype: string };
  action_space: { n: number; start: number };
  wrappers: string;
  cases: {
    name: string;
    kwargs: { sutton_barto_reward?: boolean };
    initial_state: number[];
    terminated_at: number;
    steps: { action: number; state: number[]; observation: number[]; reward: number; terminated: boolean }[];
  }[];
}
const reference: Reference = JSON.parse(readFileSync(new URL('./fixtures/cartpole-gymnasium.json', import.meta.url), 'utf8'));

function raw(options: Record<string, unknown> = {}): CartPoleEnv {
  return new CartPoleEnv(options);
}

/** Gymnasium's step written out as in cartpole.py (x**2 where it has np.square), in float64. */
function gymnasiumEulerStep([x, xDot, theta, thetaDot]: number[], action: number): number[] {
  const [gravity, masscart, masspole, length, forceMag, tau] = [9.8, 1.0, 0.1, 0.5, 10.0, 0.02];
  const totalMass = masspole + masscart;
  const polemassLength = masspole * length;
  const force = action === 1 ? forceMag : -forceMag;
  const costheta = Math.cos(theta);
  const sintheta = Math.sin(theta);
  const temp = (force + polemassLength * thetaDot ** 2 * sintheta) / totalMass;
  const thetaacc = (gravity * sintheta - costheta * temp) / (length * (4.0 / 3.0 - (masspole * costheta ** 2) / totalMass));
  const xacc = temp - (polemassLength * thetaacc * costheta) / totalMass;
  return [x + tau * xDot, xDot + tau * xacc, theta + tau * thetaDot, thetaDot + tau * thetaacc];
}

describe('CartPole-v1 matches Gymnasium', () => {
  it('has Gymnasium’s constants', () => {
    const env = raw();
    expect([env.gravity, env.massCart, env.massPole, env.length, env.forceMag, env.tau, env.xThreshold]).toEqual([
      9.8, 1.0, 0.1, 0.5, 10.0, 0.02, 2.4,
    ]);
    expect(env.totalMass).toBe(0.1 + 1.0);
    expect(env.poleMassLength).toBe(0.05);
    expect(env.thetaThresholdRadians).toBe((12 * 2 * Math.PI) / 360);
    expect(env.metadata.renderFps).toBe(50);
  });

  it(`has Gymnasium ${reference.gymnasium}’s spaces: float32 bounds at twice the thresholds, ±∞ velocities`, () => {
    const env = raw();
    const { low, high, dtype } = reference.observation_space;
    expect(env.observationSpace.dtype).toBe(dtype);
    expect(env.observationSpace.shape).toEqual([4]);
    // Gymnasium stores the bounds as float32; ours are the float64 values that round to them.
    expect(Array.from(env.observationSpace.low, Math.fround)).toEqual(low.map(Number));
    expect(Array.from(env.observationSpace.high, Math.fround)).toEqual(high.map(Number));
    expect(env.actionSpace.n).toBe(reference.action_space.n);
    expect(env.actionSpace.start).toBe(reference.action_space.start);
  });

  it('is registered with max 500 steps and reward threshold 475, wrapped as Gymnasium’s make wraps it', () => {
    const env = make('CartPole-v1');
    expect(env.spec?.maxEpisodeSteps).toBe(reference.spec.max_episode_steps);
    expect(env.spec?.rewardThreshold).toBe(reference.spec.reward_threshold);
    // passive checker → order enforcing → TimeLimit, innermost first.
    expect(env.toString()).toBe(reference.wrappers);
    expect(env.toString()).toBe('<TimeLimit<OrderEnforcing<PassiveEnvChecker<CartPoleEnv<CartPole-v1>>>>>');
    expect(env.unwrapped).toBeInstanceOf(CartPoleEnv);
  });

  it('takes one Euler step exactly as Gymnasium’s float64 formula', () => {
    const env = raw();
    const start = [0.01, -0.02, 0.03, -0.04];
    for (const action of [0, 1]) {
      env.state = start;
      const r = env.step(action);
      const expected = gymnasiumEulerStep(start, action);
      expect(env.state).toEqual(expected);
      // The observation is the float32 copy of the float64 state.
      expect(Array.from(r.observation)).toEqual(expected.map(Math.fround));
      expect(r).toMatchObject({ reward: 1, terminated: false, truncated: false, info: {} });
    }
    // Worked by hand for action 1 from the upright rest state: temp = 10 / 1.1, thetaacc = -temp / (0.5 (4/3 - 0.1/1.1)),
    // xacc = temp - 0.05 thetaacc / 1.1; only the velocities change in the first step.
    env.state = [0, 0, 0, 0];
    env.step(1);
    const temp = 10 / 1.1;
    const thetaacc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1));
    const xacc = temp - (0.05 * thetaacc) / 1.1;
    expect(env.state[0]).toBe(0);
    expect(env.state[1]).toBeCloseTo(0.02 * xacc, 15);
    expect(env.state[2]).toBe(0);
    expect(env.state[3]).toBeCloseTo(0.02 * thetaacc, 15);
    expect(env.state[1]).toBeCloseTo(0.195122, 6);
    expect(env.state[3]).toBeCloseTo(-0.292683, 6);
  });

  for (const c of reference.cases) {
    it(`replays Gymnasium’s trajectory bit for bit: ${c.name}`, () => {
      const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      try {
        const env = raw({ suttonBartoReward: c.kwargs.sutton_barto_reward ?? false });
        env.reset({ seed: 0 });
        env.state = c.initial_state;
        c.steps.forEach((s, i) => {
          const r = env.step(s.action);
          expect({ i, state: env.state, observation: Array.from(r.observation), reward: r.reward, terminated: r.terminated }).toEqual({
            i,
            state: s.state,
            observation: s.observation,
            reward: s.reward,
            terminated: s.terminated,
          });
          expect(r.truncated).toBe(false);
        });
        // Stepping on after termination warns once, as Gymnasium's logger.warn.
        expect(warnings.mock.calls.map((w) => w[1])).toEqual(c.steps.length > c.terminated_at + 1 ? ['EnvWarning'] : []);
      } finally {
        warnings.mockRestore();
      }
    });
  }

  it('terminates strictly beyond ±2.4 and ±12°, on the state after the step', () => {
    const env = raw();
    const theta = env.thetaThresholdRadians;
    const above = (v: number) => v + Math.abs(v) * Number.EPSILON;
    const below = (v: number) => v - Math.abs(v) * Number.EPSILON;
    // With zero velocities a step leaves x and theta where they are.
    const cases: [number[], boolean][] = [
      [[2.4, 0, 0, 0], false],
      [[above(2.4), 0, 0, 0], true],
      [[-2.4, 0, 0, 0], false],
      [[below(-2.4), 0, 0, 0], true],
      [[0, 0, theta, 0], false],
      [[0, 0, above(theta), 0], true],
      [[0, 0, -theta, 0], false],
      [[0, 0, below(-theta), 0], true],
    ];
    for (const [state, terminated] of cases) {
      env.state = state;
      expect({ state, terminated: env.step(1).terminated }).toEqual({ state, terminated });
    }
    // The first terminating step still pays +1; a step inside pays +1 too.
    env.state = [above(2.4), 0, 0, 0];
    expect(env.step(0).reward).toBe(1);
  });

  it('pays Sutton & Barto’s reward with suttonBartoReward: 0 per step, −1 on termination and after', () => {
    const env = make('CartPole-v1', { suttonBartoReward: true });
    env.reset({ seed: 1 });
    const rewards: number[] = [];
    for (;;) {
      const r = env.step(1);
      rewards.push(r.reward);
      if (r.terminated || r.truncated) break;
    }
    expect(rewards.slice(0, -1).every((r) => r === 0)).toBe(true);
    expect(rewards.at(-1)).toBe(-1);
  });
});

describe('CartPole-v1 reset', () => {
  it('draws each state variable uniformly in [−0.05, 0.05) from the seeded generator, with an empty info', () => {
    const env = raw();
    const values: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const { observation, info } = env.reset({ seed });
      expect(info).toEqual({});
      values.push(...env.state);
      expect(Array.from(observation)).toEqual(env.state.map(Math.fround));
    }
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...values)).toBeLessThan(0.05);
    // Spread over the whole range, not a corner of it.
    expect(Math.min(...values)).toBeLessThan(-0.045);
    expect(Math.max(...values)).toBeGreaterThan(0.045);
  });

  it('gives the same start for the same seed, another for another seed, and continues the generator unseeded', () => {
    const a = raw();
    const b = raw();
    expect(a.reset({ seed: 7 }).observation).toEqual(b.reset({ seed: 7 }).observation);
    expect(a.reset().observation).toEqual(b.reset().observation);
    expect(a.reset({ seed: 7 }).observation).not.toEqual(a.reset({ seed: 8 }).observation);
  });

  it('accepts the reset options low and high (Gymnasium’s maybe_parse_reset_bounds)', () => {
    const env = raw();
    for (let seed = 0; seed < 50; seed++) {
      env.reset({ seed, options: { low: 0, high: 1 } });
      expect(env.state.every((v) => v >= 0 && v < 1)).toBe(true);
    }
    env.reset({ seed: 0, options: { low: 0.2, high: 0.2 } });
    expect(env.state).toEqual([0.2, 0.2, 0.2, 0.2]);
    env.reset({ seed: 0, options: { high: 0.3 } });
    expect(env.state.every((v) => v >= -0.05 && v < 0.3)).toBe(true);
    expect(() => env.reset({ options: {} })).not.toThrow();
  });

  it('refuses malformed reset options, naming the option and what is accepted', () => {
    const env = raw();
    expect(() => env.reset({ options: { low: 1, high: 0 } })).toThrow(
      new OptionError('low', '(1) is greater than high (0)', 'low <= high', 'CartPole-v1 reset'),
    );
    expect(() => env.reset({ options: { low: 'a' } })).toThrow(
      /CartPole-v1 reset: option 'low' must be a finite number, got "a"; accepted: a finite number/,
    );
    expect(() => env.reset({ options: { high: NaN } })).toThrow(/option 'high' must be a finite number, got null/);
    expect(() => env.reset({ options: { lo: 0 } })).toThrow(/option 'lo' is not an option; accepted: one of low, high/);
  });
});

describe('CartPole-v1 bad input', () => {
  it('refuses actions outside Discrete(2) with an InvalidActionError, through make as on the raw env', () => {
    for (const env of [make('CartPole-v1'), raw()] as Env<Float32Array, unknown>[]) {
      env.reset({ seed: 0 });
      for (const [action, shown] of [
        [2, '2'],
        [-1, '-1'],
        [0.5, '0.5'],
        ['1', "'1'"],
        [null, 'null'],
        [true, 'true'],
        [NaN, 'NaN'],
      ] as const) {
        expect(() => env.step(action)).toThrow(InvalidActionError);
        expect(() => env.step(action)).toThrow(
          `CartPole-v1: action ${shown} is not in the action space Discrete(2); accepted: 0 (push left) or 1 (push right)`,
        );
      }
      // A refused action changes nothing: the episode goes on.
      expect(env.step(1).truncated).toBe(false);
    }
  });

  it('refuses step() before reset() with a ResetNeededError', () => {
    expect(() => raw().step(0)).toThrow(new ResetNeededError('CartPole-v1: call reset() before step()'));
    expect(() => make('CartPole-v1').step(0)).toThrow(ResetNeededError);
  });

  it('refuses stepping after termination or truncation through make, until the next reset', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    let r;
    do r = env.step(1);
    while (!r.terminated);
    expect(() => env.step(0)).toThrow(/CartPole-v1: the episode has ended \(terminated or truncated\); call reset\(\) before step\(\)/);
    env.reset();
    expect(() => env.step(0)).not.toThrow();
  });

  it('is truncated (not terminated) at 500 steps by a balancing policy, with return 500 = the max', () => {
    const env = make('CartPole-v1');
    let { observation } = env.reset({ seed: 0 });
    let total = 0;
    let steps = 0;
    let last;
    do {
      // Push towards where the pole falls: a simple controller that keeps it up for 500 steps.
      last = env.step(observation[2] + observation[3] > 0 ? 1 : 0);
      observation = last.observation;
      total += last.reward;
      steps++;
    } while (!last.terminated && !last.truncated);
    expect({ steps, total, terminated: last.terminated, truncated: last.truncated }).toEqual({
      steps: 500,
      total: 500,
      terminated: false,
      truncated: true,
    });
    expect(total).toBeGreaterThanOrEqual(env.spec!.rewardThreshold!);
    expect(() => env.step(0)).toThrow(ResetNeededError);
  });

  it('refuses unknown and malformed env options, naming them and the accepted ones', () => {
    expect(() => make('CartPole-v1', { gravity: 3 })).toThrow(
      /CartPole-v1: option 'gravity' is not an option; accepted: one of suttonBartoReward/,
    );
    expect(() => make('CartPole-v1', { suttonBartoReward: 'yes' })).toThrow(
      /option 'suttonBartoReward' must be a boolean, got 'yes'; accepted: true or false/,
    );
    expect(() => (raw().state = [0, 0, NaN, 0])).toThrow(/option 'state' is \[0,0,null,0\]; accepted: four finite numbers/);
  });

  it('renders its state as text', () => {
    const env = raw();
    env.state = [0, 0.5, -0.1, 0];
    expect(env.render()).toMatch(/^-{20}#-{20}\nx=0\.000 x_dot=0\.500 theta=-0\.1000 theta_dot=0\.000$/);
  });
});
