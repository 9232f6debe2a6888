import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../envs/core/checker/index.js';
import { ClusterSchedulingEnv, make } from '../../../envs/index.js';
import { view } from './helpers.js';

function play(env: ClusterSchedulingEnv, pick: (mask: Uint8Array, i: number) => number) {
  let { info } = env.reset();
  let ret = 0;
  for (let i = 0; ; i++) {
    const r = env.step(pick(info.actionMask!, i));
    ret += r.reward;
    info = r.info;
    if (r.terminated || r.truncated) return { ret, metrics: r.info.metrics!, terminated: r.terminated };
  }
}

describe('ClusterScheduling-v0 episodes', () => {
  it('sums the reward to minus the total slowdown when every job finishes', () => {
    const env = new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact' });
    env.reset({ seed: 7 });
    const policies = [(m: Uint8Array) => m.indexOf(1), (m: Uint8Array, i: number) => (i * 7) % m.length];
    for (const pick of policies) {
      for (let e = 0; e < 5; e++) {
        const { ret, metrics, terminated } = play(env, pick);
        expect(terminated).toBe(true);
        expect(metrics.unfinished).toBe(0);
        expect(metrics.finished).toBeGreaterThan(0);
        expect(ret).toBeCloseTo(-metrics.slowdown * metrics.finished, 9);
      }
    }
  });

  it('plays the next sequence on each reset, cycling, and redraws them when reset gets a seed', () => {
    const env = new ClusterSchedulingEnv({ numSequences: 3, observation: 'compact', firstEntry: 'play' });
    const firsts = (n: number, seed?: number) =>
      Array.from({ length: n }, (_, i) => {
        const { observation } = env.reset(i === 0 && seed !== undefined ? { seed } : {});
        return Array.from(observation);
      });
    const a = firsts(4, 11);
    expect(a[3]).toEqual(a[0]);
    expect(new Set(a.slice(0, 3).map((o) => o.join())).size).toBeGreaterThan(1);
    expect(firsts(4, 11)).toEqual(a);
    expect(firsts(3, 12)).not.toEqual(a.slice(0, 3));
    expect(env.reset({ seed: 11, options: { sequence: 2 } }).observation).toEqual(Float32Array.from(a[2]));
    expect(() => env.reset({ options: { sequence: 3 } })).toThrow(/option 'sequence' is 3; accepted: an integer in 0 … 2/);
    expect(() => env.reset({ options: { sequnce: 1 } })).toThrow(/'sequnce' is not an option; accepted: one of sequence/);
  });

  it('is deterministic given the seed, image observations included', () => {
    const run = () => {
      const env = make('ClusterScheduling-v0');
      const { observation, info: first } = env.reset({ seed: 3 });
      let info = first;
      const trace: number[] = [observation.reduce((s: number, v: number) => s + v, 0)];
      for (let i = 0; i < 200; i++) {
        const r = env.step(i % 2 ? info.actionMask!.indexOf(1) : i % 6);
        trace.push(
          r.reward,
          r.observation.reduce((s: number, v: number) => s + v, 0),
        );
        info = r.info;
        if (r.terminated || r.truncated) info = env.reset().info;
      }
      return trace;
    };
    expect(run()).toEqual(run());
  });

  it('returns a fresh observation each step that later steps leave unchanged', () => {
    const env = make('ClusterScheduling-v0', { newJobRate: 1, simuLen: 200, end: 'all_done' });
    const { observation, info: first } = env.reset({ seed: 4 });
    let info = first;
    const kept: [Float32Array, Float32Array][] = [[observation, observation.slice()]];
    for (let i = 0; i < 120; i++) {
      const r = env.step(i % 3 ? info.actionMask!.indexOf(1) : 5);
      expect(r.observation).not.toBe(kept[kept.length - 1][0]);
      kept.push([r.observation, r.observation.slice()]);
      info = r.info;
    }
    for (const [obs, copy] of kept) expect(obs).toEqual(copy);
    expect(new Set(kept.map(([o]) => o.join())).size).toBeGreaterThan(50);
  });

  it('draws the image: machine cells in the job colour, slot blocks, backlog cells, time since arrival', () => {
    const env = new ClusterSchedulingEnv({ numSlots: 1, backlogSize: 40, newJobRate: 1, simuLen: 10, firstEntry: 'play' });
    const { observation: first, info } = env.reset({ seed: 1 });
    let observation = first;
    // One slot: width (10 + 10)·2 + 40/20 + 1 = 43.
    expect(env.observationSpace.shape).toEqual([20, 43]);
    const at = (o: Float32Array, t: number, c: number) => o[t * 43 + c];
    const v = view(info);
    const len = v.slotLength[0];
    const d = [v.slotDemand[0], v.slotDemand[1]];
    // Slot block of resource 0 at columns 10 … 19, of resource 1 at 30 … 39.
    for (let t = 0; t < 20; t++) {
      for (let c = 0; c < 10; c++) {
        expect(at(observation, t, 10 + c)).toBe(t < len && c < d[0] ? 1 : 0);
        expect(at(observation, t, 30 + c)).toBe(t < len && c < d[1] ? 1 : 0);
      }
    }
    let r = env.step(0);
    observation = r.observation;
    const colour = at(observation, 0, 0);
    expect(colour).toBeGreaterThan(0);
    expect(colour).toBeLessThan(1);
    for (let t = 0; t < 20; t++) {
      for (let c = 0; c < 10; c++) expect(at(observation, t, c)).toBe(t < len && c < d[0] ? colour : 0);
      for (let c = 0; c < 10; c++) expect(at(observation, t, 20 + c)).toBe(t < len && c < d[1] ? colour : 0);
    }
    // Do nothing four times: rate 1 brings a job per step (the first to the free slot, then to the backlog); the machine moves up a row each time.
    for (let i = 0; i < 4; i++) r = env.step(1);
    observation = r.observation;
    expect(view(r.info).backlog).toBe(3);
    const backlogCells = [0, 1, 2, 3].map((k) => at(observation, Math.floor(k / 2), 40 + (k % 2)));
    expect(backlogCells).toEqual([1, 1, 1, 0]);
    expect(at(observation, 0, 0)).toBe(len > 4 ? colour : 0);
    expect(at(observation, 0, 42)).toBe(0); // a job just arrived
    for (let i = 0; i < 30 && !r.terminated; i++) r = env.step(1);
    if (!r.terminated) expect(at(r.observation, 5, 42)).toBeGreaterThan(0);
  });

  it('renders the machine, the slots and the backlog as text', () => {
    const env = make('ClusterScheduling-v0');
    env.reset({ seed: 2 });
    const text = env.render()!;
    expect(text).toMatch(/^time 0 {3}backlog \d+\/60/);
    expect(text).toContain('resource 0');
    expect(text).toContain('resource 1');
    expect(text).toContain('slot 4');
    expect(text.split('\n').filter((l) => l.startsWith('|')).length).toBe(2 * 20);
  });

  it('passes the env checker with both observations and a preset', () => {
    for (const options of [{}, { observation: 'compact' }, { preset: 'deeprm-train' }]) {
      const report = checkEnv(new ClusterSchedulingEnv(options));
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.passed).toBe(true);
    }
  });
});
