/**
 * The optimisers and the gradient clip are written by hand over one flat parameter vector
 * (agents/core/nn/{adam,rmsprop,clip-grad-norm}.ts) to match PyTorch, whose CleanRL and Stable-Baselines3
 * runs are the references schedlab's learning curves are compared with. A slip there (a missing bias
 * correction, ε inside instead of outside the square root, β₁ and β₂ swapped, clipping by the wrong factor)
 * does not crash: training still runs, only differently from the references. So each is checked here over
 * several steps against an independent implementation:
 *   - FlatAdam: against Adam as torch.optim.Adam documents it (Kingma & Ba 2015, Algorithm 1, ε added to
 *     √v̂), written out in float64 here, with a learning rate that changes every step (PPO's annealing);
 *     and against tfjs's own tf.train.adam on the same parameters and gradients;
 *   - FlatRmsprop: against torch.optim.RMSprop's update (not centred, no momentum; SB3's A2C uses α = 0.99,
 *     ε = 1e-5) in float64, and its `epsInsideSqrt` form (DeepRM's Theano/Lasagne update) against tfjs's
 *     tf.train.rmsprop, which puts ε inside the root;
 *   - clipGradNorm: against torch.nn.utils.clip_grad_norm_'s definition (scale by min(1, max/(‖g‖ + 1e-6)),
 *     return ‖g‖ before clipping);
 * and the optimisers' saved state must continue a run bit for bit, as checkpoints promise.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { initBackend } from '../../../../agents/core/backend.js';
import { FlatAdam } from '../../../../agents/core/nn/adam.js';
import { clipGradNorm } from '../../../../agents/core/nn/clip-grad-norm.js';
import { FlatRmsprop } from '../../../../agents/core/nn/rmsprop.js';
import { Rng } from '../../../../core/rng.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors, 'tensors left behind').toBe(tensorsBefore);
});

const N = 48;
const STEPS = 40;

/**
 * Parameters and a sequence of gradients (as float32 values, what the optimisers see): coordinates of very
 * different scales (1, 10, 1e-3 and 1e-9, where ε dominates the denominator), one whose gradient is always 0,
 * one whose sign flips every step.
 */
function problem(seed: number): { theta0: Float32Array; grads: Float32Array[] } {
  const rng = new Rng(seed);
  const scales = [1, 10, 1e-3, 1e-9];
  const theta0 = Float32Array.from({ length: N }, () => rng.normal());
  const grads = Array.from({ length: STEPS }, (_, t) =>
    Float32Array.from({ length: N }, (_, i) =>
      i === 0 ? 0 : i === 1 ? (t % 2 ? -1 : 1) * 0.3 : rng.normal(0.2, 1) * scales[i % scales.length],
    ),
  );
  return { theta0, grads };
}

/** A parameter vector holding `values` (tf.variable copies its initial tensor, which is released here). */
function parameters(values: Float32Array): tf.Variable<tf.Rank.R1> {
  const initial = tf.tensor1d(values);
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/** PPO's linear annealing from 3e-3 towards 0, one learning rate per step. */
const annealed = Array.from({ length: STEPS }, (_, t) => 3e-3 * (1 - t / STEPS));

/** Runs `apply(grad, lr)` over the gradients and returns the parameters after each step. */
function run(
  theta: tf.Variable<tf.Rank.R1>,
  grads: Float32Array[],
  lrs: number[],
  apply: (g: tf.Tensor1D, lr: number) => void,
  from = 0,
): Float32Array[] {
  const trajectory: Float32Array[] = [];
  for (let t = from; t < grads.length; t++) {
    const g = tf.tensor1d(grads[t]);
    apply(g, lrs[t]);
    g.dispose();
    trajectory.push(theta.dataSync() as Float32Array);
  }
  return trajectory;
}

/** Largest |got − want| over the coordinates. */
const maxDiff = (got: ArrayLike<number>, want: ArrayLike<number>) =>
  Array.from(want).reduce((m, w, i) => Math.max(m, Math.abs(got[i] - w)), 0);

/**
 * float32 parameters rounded every step against float64 arithmetic: about 1e-7 per step; a wrong term
 * moves some coordinate by lr·(a fraction of 1) ≥ 1e-5 within a few steps.
 */
const TOL = 2e-6;

describe('FlatAdam', () => {
  /** torch.optim.Adam's documented update in float64: m, v moments, bias-corrected, ε after the root. */
  function adamReference(theta0: Float32Array, grads: Float32Array[], lrs: number[], b1: number, b2: number, eps: number) {
    const theta = Float64Array.from(theta0);
    const m = new Float64Array(N);
    const v = new Float64Array(N);
    const trajectory: Float64Array[] = [];
    grads.forEach((g, k) => {
      const t = k + 1;
      for (let i = 0; i < N; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        const mHat = m[i] / (1 - b1 ** t);
        const vHat = v[i] / (1 - b2 ** t);
        theta[i] -= (lrs[k] * mHat) / (Math.sqrt(vHat) + eps);
      }
      trajectory.push(Float64Array.from(theta));
    });
    return { trajectory, m, v };
  }

  test.each([
    { beta1: 0.9, beta2: 0.999, eps: 1e-8, why: "torch's defaults (DQN, REINFORCE)" },
    { beta1: 0.9, beta2: 0.999, eps: 1e-5, why: "CleanRL's PPO (adamEps 1e-5)" },
    { beta1: 0.5, beta2: 0.9, eps: 1e-3, why: 'other moments and a large ε, so a swapped β or misplaced ε shows' },
  ])('follows the float64 reference Adam step for step with an annealed learning rate: $why', ({ beta1, beta2, eps }) => {
    const { theta0, grads } = problem(1);
    const theta = parameters(theta0);
    const adam = new FlatAdam(theta, { beta1, beta2, eps });
    const got = run(theta, grads, annealed, (g, lr) => adam.apply(g, lr));
    const ref = adamReference(theta0, grads, annealed, beta1, beta2, eps);
    got.forEach((g, t) => expect(maxDiff(g, ref.trajectory[t]), `step ${t + 1}`).toBeLessThan(TOL));
    // The comparison means something: the parameters moved far more than the tolerance.
    expect(maxDiff(got[STEPS - 1], theta0)).toBeGreaterThan(1000 * TOL);
    // The zero-gradient coordinate never moves; the moments are torch's (not bias-corrected) m and v.
    expect(got[STEPS - 1][0]).toBe(theta0[0]);
    const state = adam.state();
    expect(state.step).toBe(STEPS);
    expect(maxDiff(state.m, ref.m)).toBeLessThan(1e-6);
    expect(maxDiff(state.v, ref.v) / Math.max(...ref.v)).toBeLessThan(1e-6);
    adam.dispose();
    theta.dispose();
  });

  test("matches tfjs's tf.train.adam on the same parameters and gradients (fixed learning rate)", () => {
    const { theta0, grads } = problem(2);
    const lr = 1e-3;
    const lrs = grads.map(() => lr);
    const ours = parameters(theta0);
    const adam = new FlatAdam(ours, { beta1: 0.9, beta2: 0.999, eps: 1e-7 });
    const got = run(ours, grads, lrs, (g, l) => adam.apply(g, l));
    const theirs = parameters(theta0);
    const reference = tf.train.adam(lr, 0.9, 0.999, 1e-7);
    const want = run(theirs, grads, lrs, (g) => reference.applyGradients([{ name: theirs.name, tensor: g }]));
    got.forEach((g, t) => expect(maxDiff(g, want[t]), `step ${t + 1}`).toBeLessThan(TOL));
    reference.dispose();
    adam.dispose();
    tf.dispose([ours, theirs]);
  });

  test('state() and setState() continue a run bit for bit (what a checkpoint restores)', () => {
    const { theta0, grads } = problem(3);
    const whole = parameters(theta0);
    const adam = new FlatAdam(whole, { eps: 1e-5 });
    const half = STEPS / 2;
    const uninterrupted = run(whole, grads, annealed, (g, lr) => adam.apply(g, lr));
    // Replay the first half, save, and continue in a fresh optimiser on a copy of the parameters.
    const first = parameters(theta0);
    const before = new FlatAdam(first, { eps: 1e-5 });
    run(first, grads.slice(0, half), annealed, (g, lr) => before.apply(g, lr));
    const saved = before.state();
    const resumed = parameters(first.dataSync() as Float32Array);
    const after = new FlatAdam(resumed, { eps: 1e-5 });
    after.setState({ step: saved.step, m: Float32Array.from(saved.m), v: Float32Array.from(saved.v) });
    const continued = run(resumed, grads, annealed, (g, lr) => after.apply(g, lr), half);
    expect(continued.map((x) => Array.from(x))).toEqual(uninterrupted.slice(half).map((x) => Array.from(x)));
    [adam, before, after].forEach((o) => o.dispose());
    tf.dispose([whole, first, resumed]);
  });
});

describe('FlatRmsprop', () => {
  /** torch.optim.RMSprop (centered=False, momentum=0) in float64, or with ε inside the root (Lasagne). */
  function rmspropReference(
    theta0: Float32Array,
    grads: Float32Array[],
    lrs: number[],
    alpha: number,
    eps: number,
    epsInsideSqrt: boolean,
  ) {
    const theta = Float64Array.from(theta0);
    const v = new Float64Array(N);
    return grads.map((g, k) => {
      for (let i = 0; i < N; i++) {
        v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
        theta[i] -= (lrs[k] * g[i]) / (epsInsideSqrt ? Math.sqrt(v[i] + eps) : Math.sqrt(v[i]) + eps);
      }
      return Float64Array.from(theta);
    });
  }

  test.each([
    { alpha: 0.99, eps: 1e-5, epsInsideSqrt: false, why: "SB3's A2C (torch's update)" },
    { alpha: 0.9, eps: 1e-6, epsInsideSqrt: true, why: "DeepRM's update (ε inside the root)" },
  ])('follows the float64 reference step for step with an annealed learning rate: $why', ({ alpha, eps, epsInsideSqrt }) => {
    const { theta0, grads } = problem(4);
    // RMSprop has no bias correction: the first steps move by up to lr/√(1 − α), so a smaller rate keeps θ near 1.
    const lrs = annealed.map((lr) => lr / 10);
    const theta = parameters(theta0);
    const rmsprop = new FlatRmsprop(theta, { alpha, eps, epsInsideSqrt });
    const got = run(theta, grads, lrs, (g, lr) => rmsprop.apply(g, lr));
    const ref = rmspropReference(theta0, grads, lrs, alpha, eps, epsInsideSqrt);
    got.forEach((g, t) => expect(maxDiff(g, ref[t]), `step ${t + 1}`).toBeLessThan(TOL));
    expect(maxDiff(got[STEPS - 1], theta0)).toBeGreaterThan(1000 * TOL);
    expect(rmsprop.state().step).toBe(STEPS);
    rmsprop.dispose();
    theta.dispose();
  });

  test("with ε inside the root it matches tfjs's tf.train.rmsprop (no momentum, not centred)", () => {
    const { theta0, grads } = problem(5);
    const lr = 1e-4;
    const lrs = grads.map(() => lr);
    const ours = parameters(theta0);
    const rmsprop = new FlatRmsprop(ours, { alpha: 0.95, eps: 1e-6, epsInsideSqrt: true });
    const got = run(ours, grads, lrs, (g, l) => rmsprop.apply(g, l));
    const theirs = parameters(theta0);
    const reference = tf.train.rmsprop(lr, 0.95, 0, 1e-6, false);
    const want = run(theirs, grads, lrs, (g) => reference.applyGradients([{ name: theirs.name, tensor: g }]));
    got.forEach((g, t) => expect(maxDiff(g, want[t]), `step ${t + 1}`).toBeLessThan(TOL));
    reference.dispose();
    rmsprop.dispose();
    tf.dispose([ours, theirs]);
  });

  test('state() and setState() continue a run bit for bit', () => {
    const { theta0, grads } = problem(6);
    const lrs = annealed.map((lr) => lr / 10);
    const half = STEPS / 2;
    const whole = parameters(theta0);
    const uninterruptedOpt = new FlatRmsprop(whole, { eps: 1e-5 });
    const uninterrupted = run(whole, grads, lrs, (g, lr) => uninterruptedOpt.apply(g, lr));
    const first = parameters(theta0);
    const before = new FlatRmsprop(first, { eps: 1e-5 });
    run(first, grads.slice(0, half), lrs, (g, lr) => before.apply(g, lr));
    const saved = before.state();
    const resumed = parameters(first.dataSync() as Float32Array);
    const after = new FlatRmsprop(resumed, { eps: 1e-5 });
    after.setState({ step: saved.step, v: Float32Array.from(saved.v) });
    const continued = run(resumed, grads, lrs, (g, lr) => after.apply(g, lr), half);
    expect(continued.map((x) => Array.from(x))).toEqual(uninterrupted.slice(half).map((x) => Array.from(x)));
    [uninterruptedOpt, before, after].forEach((o) => o.dispose());
    tf.dispose([whole, first, resumed]);
  });
});

describe('clipGradNorm', () => {
  /** torch.nn.utils.clip_grad_norm_ on one tensor, in float64: (clipped gradient, norm before clipping). */
  function clipReference(g: Float32Array, maxNorm: number): { grad: Float64Array; norm: number } {
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    const coef = Math.min(1, maxNorm / (norm + 1e-6));
    return { grad: Float64Array.from(g, (x) => x * coef), norm };
  }

  const clip = (values: Float32Array, maxNorm: number) =>
    tf.tidy(() => {
      const { grad, norm } = clipGradNorm(tf.tensor1d(values), maxNorm);
      return { grad: grad.dataSync() as Float32Array, norm: norm.dataSync()[0] };
    });

  test.each([
    { what: 'a gradient far above the limit is scaled to it', scale: 10, maxNorm: 0.5 },
    { what: 'a gradient just above the limit', scale: 0.08, maxNorm: 0.5 },
    { what: "a gradient below the limit is left alone (torch's coefficient clamps at 1)", scale: 0.01, maxNorm: 0.5 },
  ])('$what', ({ scale, maxNorm }) => {
    const rng = new Rng(7);
    const g = Float32Array.from({ length: 1000 }, () => rng.normal(0, scale));
    const got = clip(g, maxNorm);
    const want = clipReference(g, maxNorm);
    expect(Math.abs(got.norm - want.norm) / want.norm).toBeLessThan(1e-6);
    expect(maxDiff(got.grad, want.grad) / Math.max(...want.grad.map(Math.abs))).toBeLessThan(1e-6);
    if (want.norm < maxNorm) expect(Array.from(got.grad)).toEqual(Array.from(g));
    else expect(Math.hypot(...got.grad)).toBeCloseTo((maxNorm * want.norm) / (want.norm + 1e-6), 6);
  });

  test('a zero gradient stays zero (no 0/0) and reports norm 0', () => {
    const got = clip(new Float32Array(10), 0.5);
    expect(got.norm).toBe(0);
    expect(Array.from(got.grad)).toEqual(new Array(10).fill(0));
  });
});
