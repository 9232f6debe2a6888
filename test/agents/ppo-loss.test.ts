import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { MASKED_LOGIT } from '../../agents/core/distributions.js';
import type { PpoMinibatch } from '../../agents/ppo/loss.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { Rng } from '../../core/rng.js';
import { Box } from '../../envs/core/spaces/box.js';
import { MultiDiscrete } from '../../envs/core/spaces/multi-discrete.js';
import type { Space } from '../../envs/core/spaces/space.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

/** A random minibatch whose actions are sampled from the agent's own policy (so ratios start at 1) and then perturbed. */
function minibatch(agent: PPO, m: number, masked: boolean, rng: Rng): PpoMinibatch {
  const dist = agent.dist;
  const obs = Float32Array.from({ length: m * agent.obsSize }, () => rng.normal());
  const head = agent.net.headCpu(obs, m);
  const actions = new Float32Array(m * dist.actionDim);
  const mask = masked ? Uint8Array.from({ length: m * dist.maskSize }, (_, i) => (i % 5 === 1 ? 0 : 1)) : undefined;
  const oldLogProb = new Float32Array(m);
  for (let r = 0; r < m; r++) {
    oldLogProb[r] =
      dist.sampleCpu(head, r, mask, r * dist.maskSize, rng, false, actions, r * dist.actionDim, agent.net.logStdCpu()) + rng.normal() * 0.3;
  }
  const encoded = new Float32Array(m * dist.encodedSize);
  dist.encode(
    actions,
    Int32Array.from({ length: m }, (_, i) => i),
    encoded,
  );
  return {
    size: m,
    obs,
    actions,
    encoded,
    mask,
    penalty: mask ? Float32Array.from(mask, (v) => (v ? 0 : MASKED_LOGIT)) : undefined,
    oldLogProb,
    advantages: Float32Array.from({ length: m }, () => rng.normal()),
    returns: Float32Array.from({ length: m }, () => rng.normal()),
    oldValues: Float32Array.from({ length: m }, () => rng.normal() * 0.1),
  };
}

describe('closed-form PPO gradient', () => {
  const cases: [string, Space, boolean, Record<string, unknown>][] = [
    ['masked MultiDiscrete, clipped value loss', new MultiDiscrete([3, 4]), true, {}],
    ['Gaussian, unclipped value loss', new Box(-1, 1, [2]), false, { clipVloss: false, initLogStd: -0.3 }],
  ];
  test.each(cases)('equals tfjs autodiff of the loss (%s)', (_name, actionSpace, masked, extra) => {
    const obsSpace = new Box(-5, 5, [3]);
    const options = { piLayers: [16], vfLayers: [16], entCoef: 0.05, clipCoef: 0.1, ...extra };
    const analytic = new PPO(obsSpace, actionSpace, { ...options, gradient: 'analytic' }, { seed: 1 });
    const autodiff = new PPO(obsSpace, actionSpace, { ...options, gradient: 'autodiff' }, { seed: 1 });
    const rng = new Rng(2);
    for (let step = 0; step < 3; step++) {
      const mb = minibatch(analytic, 64, masked, rng);
      // The private update step, reached by element access (which TypeScript type-checks).
      const a = analytic['trainStep'](mb, 1e-2);
      const b = autodiff['trainStep'](mb, 1e-2);
      expect(a).toEqual(Object.fromEntries(Object.entries(b).map(([k, v]) => [k, expect.closeTo(v, 4)])));
      expect(a.clipfrac).toBeGreaterThan(0); // the clipped branches are exercised
      analytic.net.store.sync();
      autodiff.net.store.sync();
      const pa = analytic.net.store.values;
      const pb = autodiff.net.store.values;
      for (let i = 0; i < pa.length; i++) expect(pa[i]).toBeCloseTo(pb[i], 4);
    }
    analytic.dispose();
    autodiff.dispose();
  });
});
