import { describe, expect, it } from 'vitest';
import { listEnvs, make, ResetNeededError, TimeLimit, UnknownNameError } from '../../../envs/index.js';

describe('registry', () => {
  it('lists CartPole-v1 and makes it wrapped in TimeLimit', () => {
    expect(listEnvs().map((s) => s.id)).toContain('CartPole-v1');
    const env = make('CartPole-v1');
    expect(env).toBeInstanceOf(TimeLimit);
    expect(env.spec?.maxEpisodeSteps).toBe(500);
    expect(env.spec?.rewardThreshold).toBe(475);
  });

  it('names the known envs for an unknown id', () => {
    expect(() => make('CartPole-v9')).toThrow(UnknownNameError);
    expect(() => make('CartPole-v9')).toThrow(/Other versions of it: CartPole-v1/);
  });

  it('refuses step before reset and after the end', () => {
    const env = make('CartPole-v1');
    expect(() => env.step(0)).toThrow(ResetNeededError);
    env.reset({ seed: 3 });
    let r;
    do r = env.step(1);
    while (!r.terminated && !r.truncated);
    expect(() => env.step(1)).toThrow(ResetNeededError);
  });

  it('truncates at maxEpisodeSteps', () => {
    const env = make('CartPole-v1', {}, { maxEpisodeSteps: 3 });
    env.reset({ seed: 0 });
    const flags = [0, 1, 0].map((a) => env.step(a).truncated);
    expect(flags).toEqual([false, false, true]);
  });
});
