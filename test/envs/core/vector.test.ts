import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../envs/index.js';
import {
  InvalidActionError,
  make,
  makeVec,
  OptionError,
  ParallelVectorEnv,
  RecordEpisodeStatistics,
  ResetNeededError,
  Rng,
  SchedlabError,
  SyncVectorEnv,
  UnknownNameError,
  type AutoresetMode,
  type VectorEnv,
  type VectorStepResult,
} from '../../../envs/core/index.js';

const MODES: AutoresetMode[] = ['next-step', 'same-step', 'disabled'];
const STEPS = 300;
const open: VectorEnv<number>[] = [];
afterAll(async () => {
  for (const v of open) await v.close();
});

function vec(mode: 'sync' | 'parallel', numEnvs: number, autoresetMode: AutoresetMode, numWorkers?: number): VectorEnv<number> {
  const v = makeVec<number>('CartPole-v1', numEnvs, { vectorizationMode: mode, autoresetMode, numWorkers });
  open.push(v);
  return v;
}

/** Everything a rollout returned, as plain arrays, for exact comparison. */
async function rollout(v: VectorEnv<number>, seed: number, steps = STEPS) {
  const actionsRng = new Rng(seed + 1000);
  const log: unknown[] = [];
  const reset = await v.reset({ seed });
  log.push(Array.from(reset.observations));
  for (let t = 0; t < steps; t++) {
    const actions = Array.from({ length: v.numEnvs }, () => actionsRng.integers(0, 2));
    const r = await v.step(actions);
    log.push(snapshot(r));
    if (v.autoresetMode === 'disabled') {
      const ended = r.terminations.map((x, i) => x | r.truncations[i]);
      if (ended.some((x) => x)) log.push(Array.from((await v.reset({ options: { resetMask: ended } })).observations));
    }
  }
  return log;
}

function snapshot(r: VectorStepResult) {
  return {
    obs: Array.from(r.observations),
    rew: Array.from(r.rewards),
    term: Array.from(r.terminations),
    trunc: Array.from(r.truncations),
    final: r.infos.map((info) => (info.finalObservation ? Array.from(info.finalObservation as Float32Array) : null)),
  };
}

describe('SyncVectorEnv: autoreset semantics against single CartPole-v1 envs', () => {
  it.each(MODES)('%s', (mode) => {
    const n = 3;
    const v = vec('sync', n, mode) as SyncVectorEnv<number>;
    // The reference: n independent envs from make(), seeded seed + i, driven by the mode's rule.
    const singles = Array.from({ length: n }, () => make('CartPole-v1'));
    const seed = 42;
    const first = v.reset({ seed });
    singles.forEach((e, i) =>
      expect(Array.from(first.observations.subarray(i * 4, i * 4 + 4))).toEqual(Array.from(e.reset({ seed: seed + i }).observation)),
    );
    const ended = new Array(n).fill(false);
    const rng = new Rng(7);
    let episodesEnded = 0;
    let ignoredInvalid = 0;
    for (let t = 0; t < STEPS; t++) {
      // In next-step mode an ended sub-env's action is ignored: give it an invalid one to prove it.
      const actions = ended.map((e) => (e && mode === 'next-step' ? 99 : rng.integers(0, 2)));
      if (mode === 'disabled' && ended.some(Boolean)) {
        expect(() => v.step(actions)).toThrow(ResetNeededError);
        const before = v.reset({ seed: 1 }); // a full reset is also allowed; re-sync the reference with it
        singles.forEach((e, i) => {
          expect(Array.from(before.observations.subarray(i * 4, i * 4 + 4))).toEqual(Array.from(e.reset({ seed: 1 + i }).observation));
        });
        ended.fill(false);
        continue;
      }
      const r = v.step(actions);
      for (let i = 0; i < n; i++) {
        const row = Array.from(r.observations.subarray(i * 4, i * 4 + 4));
        if (ended[i]) {
          ignoredInvalid++;
          expect(row).toEqual(Array.from(singles[i].reset().observation));
          expect([r.rewards[i], r.terminations[i], r.truncations[i]]).toEqual([0, 0, 0]);
          ended[i] = false;
          continue;
        }
        const s = singles[i].step(actions[i]);
        expect([r.rewards[i], r.terminations[i], r.truncations[i]]).toEqual([s.reward, +s.terminated, +s.truncated]);
        const done = s.terminated || s.truncated;
        if (done) episodesEnded++;
        if (done && mode === 'same-step') {
          expect(Array.from(r.infos[i].finalObservation as Float32Array)).toEqual(Array.from(s.observation));
          expect(r.infos[i].finalInfo).toEqual(s.info);
          expect(row).toEqual(Array.from(singles[i].reset().observation));
        } else {
          expect(r.infos[i].finalObservation).toBeUndefined();
          expect(row).toEqual(Array.from(s.observation));
          ended[i] = done;
        }
      }
    }
    expect(episodesEnded).toBeGreaterThan(10);
    if (mode === 'next-step') expect(ignoredInvalid).toBeGreaterThan(10);
  });

  it('disabled mode resets only the sub-envs of resetMask, with seed + i', () => {
    const v = vec('sync', 3, 'disabled');
    const a = v.reset({ seed: 5 }) as { observations: Float32Array };
    void v.step([0, 1, 0]);
    const b = v.reset({ seed: 9, options: { resetMask: [false, true, false] } }) as { observations: Float32Array; infos: object[] };
    const single = make('CartPole-v1');
    expect(Array.from(b.observations.subarray(4, 8))).toEqual(Array.from(single.reset({ seed: 10 }).observation));
    expect(b.observations.subarray(0, 4)).not.toEqual(a.observations.subarray(0, 4)); // stepped, not reset
    expect(() => v.reset({ options: { resetMask: [1, 0] } })).toThrow(/resetMask' has 2 entries; accepted: 3 values/);
  });
});

describe('ParallelVectorEnv', () => {
  it.each(MODES)('gives the same trajectories as SyncVectorEnv and across runs (%s)', async (mode) => {
    // 5 sub-envs on 2 workers: several sub-envs per worker, split unevenly.
    const sync = await rollout(vec('sync', 5, mode), 3);
    const parallel = await rollout(vec('parallel', 5, mode, 2), 3);
    expect(parallel).toEqual(sync);
    expect(await rollout(vec('parallel', 5, mode, 2), 3)).toEqual(sync);
    expect(await rollout(vec('sync', 5, mode), 4)).not.toEqual(sync);
  });

  it('surfaces a sub-env error as the same class and message, and stays usable after a reset', async () => {
    const p = vec('parallel', 3, 'next-step') as ParallelVectorEnv<number>;
    const s = vec('sync', 3, 'next-step');
    await p.reset({ seed: 0 });
    void s.reset({ seed: 0 });
    let syncError: Error | undefined;
    try {
      void s.step([0, 1, 7]);
    } catch (e) {
      syncError = e as Error;
    }
    const parallelError = await p.step([0, 1, 7]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(parallelError).toBeInstanceOf(InvalidActionError);
    expect(parallelError!.message).toBe(syncError!.message);
    await expect(p.step([0])).rejects.toThrow(/an array of 3 actions/);
    // A value that cannot cross threads is refused, and the next call still lines up with the workers.
    // @ts-expect-error -- a function is not an action; untyped callers can still send one
    await expect(p.step([0, 1, () => 1])).rejects.toThrow(/option 'actions' cannot be sent to a worker thread/);
    expect(Array.from((await p.reset({ seed: 0 })).observations)).toEqual(
      Array.from((s as SyncVectorEnv<number>).reset({ seed: 0 }).observations),
    );
  });

  it('rejects unknown ids and bad options at construction', () => {
    expect(() => makeVec('Nope-v1', 2, { vectorizationMode: 'parallel' })).toThrow(UnknownNameError);
    expect(() => makeVec('CartPole-v1', 2, { vectorizationMode: 'parallel', options: { nope: 1 } })).toThrow(/nope/);
    expect(() => makeVec('CartPole-v1', 2, { vectorizationMode: 'parallel', numWorkers: 3 })).toThrow(/numWorkers/);
    expect(() => makeVec('CartPole-v1', 2, { autoresetMode: 'sometimes' as AutoresetMode })).toThrow(
      /'next-step', 'same-step', 'disabled'/,
    );
    expect(() => makeVec('CartPole-v1', 0)).toThrow(OptionError);
    expect(() => makeVec('CartPole-v1', 2, { vectorizationMode: 'async' as 'sync' })).toThrow(/'sync' or 'parallel'/);
  });

  it('carries infos and action masks across threads, and a dying worker rejects instead of hanging', async () => {
    // A module the workers import: a masked env with infos, and one whose step kills its worker.
    const core = pathToFileURL(resolve(fileURLToPath(import.meta.url), '../../../../dist/envs/core/index.js')).href;
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-vec-'));
    const module = join(dir, 'test-envs.mjs');
    writeFileSync(
      module,
      `import { Env, Box, Discrete, register } from ${JSON.stringify(core)};
class Masked extends Env {
  observationSpace = new Box(0, 100, [1]); actionSpace = new Discrete(3); t = 0;
  reset(a = {}) { super.reset(a); this.t = this.npRandom.integers(0, 3); return { observation: Float32Array.of(this.t), info: { actionMask: this.actionMasks(), start: this.t } }; }
  step(a) { if (a === 'die') process.exit(3); this.t++; const end = this.t >= 4;
    return { observation: Float32Array.of(this.t), reward: a, terminated: end, truncated: false, info: { actionMask: this.actionMasks(), ...(end ? { metrics: { t: this.t } } : {}) } }; }
  actionMasks() { return Uint8Array.from([1, this.t % 2, 1]); }
}
register({ id: 'TestMasked-v0', entryPoint: () => new Masked() });
`,
    );
    const p = new ParallelVectorEnv<number | string>(
      Array.from({ length: 4 }, () => ({ id: 'TestMasked-v0' })),
      { modules: [module], autoresetMode: 'same-step', numWorkers: 2 },
    );
    open.push(p);
    const r0 = await p.reset({ seed: 8 });
    expect(r0.actionMasks).toHaveLength(12);
    expect(r0.infos.map((i) => i.start)).toEqual(Array.from(r0.observations));
    for (let i = 0; i < 4; i++) expect(Array.from(r0.actionMasks!.subarray(i * 3, i * 3 + 3))).toEqual([1, r0.observations[i] % 2, 1]);
    let sawMetrics = false;
    for (let t = 0; t < 5; t++) {
      const r = await p.step([2, 2, 2, 2]);
      for (let i = 0; i < 4; i++) {
        expect(Array.from(r.actionMasks!.subarray(i * 3, i * 3 + 3))).toEqual([1, r.observations[i] % 2, 1]);
        if (r.terminations[i]) {
          expect((r.infos[i].finalInfo as { metrics: object }).metrics).toEqual({ t: 4 });
          expect(r.infos[i].finalObservation).toBeInstanceOf(Float32Array);
          sawMetrics = true;
        }
      }
    }
    expect(sawMetrics).toBe(true);
    await expect(p.step([0, 0, 'die', 0])).rejects.toThrow(/worker 1 \(sub-envs 2\.\.3\) exited with code 3/);
    await p.close();
    await p.close(); // idempotent
    await expect(p.step([0, 0, 0, 0])).rejects.toThrow(SchedlabError);
  });
});

describe('makeVec wrappers', () => {
  it('wraps every sub-env (sync), e.g. RecordEpisodeStatistics reports each episode in infos', () => {
    const v = makeVec<number>('CartPole-v1', 2, { wrappers: [(e) => new RecordEpisodeStatistics(e)] }) as SyncVectorEnv<number>;
    open.push(v);
    v.reset({ seed: 0 });
    const returns = [0, 0];
    let episodes = 0;
    for (let t = 0; t < 100; t++) {
      const r = v.step([t % 2, (t >> 1) % 2]);
      for (let i = 0; i < 2; i++) {
        returns[i] += r.rewards[i];
        if (r.terminations[i] || r.truncations[i]) {
          expect((r.infos[i].episode as { r: number }).r).toBe(returns[i]);
          returns[i] = 0;
          episodes++;
        } else expect(r.infos[i].episode).toBeUndefined();
      }
    }
    expect(episodes).toBeGreaterThan(2);
    expect(() => makeVec('CartPole-v1', 2, { vectorizationMode: 'parallel', wrappers: [(e) => e] })).toThrow(
      /option 'wrappers' cannot be used/,
    );
  });
});

describe('close', () => {
  it('is idempotent and refuses later calls', async () => {
    const s = vec('sync', 2, 'next-step');
    void s.close();
    void s.close();
    expect(() => s.reset()).toThrow(/closed/);
    const p = vec('parallel', 2, 'next-step');
    await p.close();
    await p.close();
    await expect(p.reset()).rejects.toThrow(/closed/);
  });
});
