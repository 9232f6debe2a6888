/**
 * Single-observation inference latency of an exported policy, per format: the dependency-free
 * runtime (policy.json), TF.js (tf.loadLayersModel of model.json, predict on wasm) and
 * onnxruntime-node (model.onnx, session.run). The policy is PPO's default 64-64 tanh actor-critic with
 * observation normalisation on ClusterScheduling-v0's compact observation (76 numbers, 6 masked
 * actions), freshly initialised (latency does not depend on the weights' values). Each unit is one
 * call with a mask, value head included; reported as inferences/s and µs per inference. The last case
 * (onnxruntime-node) also reports the runtime's µs over onnxruntime-node's, measured in the same run
 * (below 1: the dependency-free runtime is faster), and runs the cases interleaved for that ratio so a
 * change in machine load hits both alike.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { initBackend } from '../../agents/core/backend.js';
import { exportPolicy } from '../../agents/export/export.js';
import { ExportedPolicy } from '../../agents/export/runtime/policy.js';
import { loadTfjsPolicy } from '../../agents/export/tfjs.js';
import { PPO } from '../../agents/ppo/ppo.js';
import type { ResetResult } from '../../envs/core/env.js';
import { flatten } from '../../envs/core/spaces/flatten.js';
import { make } from '../../envs/index.js';
import type { BenchCase } from '../harness.js';

const CALLS = 2000;
const ENV_OPTIONS = { observation: 'compact' };

interface Fixture {
  dirs: Record<'onnx' | 'tfjs' | 'json', string>;
  obs: Float32Array[];
  masks: Uint8Array[];
}

let fixture: Promise<Fixture> | undefined;

/** One checkpoint exported in the three formats, and observations/masks from real episodes. */
function prepare(): Promise<Fixture> {
  fixture ??= (async () => {
    await initBackend('wasm', null);
    const env = make('ClusterScheduling-v0', ENV_OPTIONS);
    const agent = new PPO(
      env.observationSpace,
      env.actionSpace,
      { normalizeObservation: true },
      { seed: 0, envId: 'ClusterScheduling-v0' },
    );
    const root = mkdtempSync(join(tmpdir(), 'schedlab-bench-export-'));
    await agent.save(join(root, 'checkpoint'));
    agent.dispose();
    const dirs = { onnx: join(root, 'onnx'), tfjs: join(root, 'tfjs'), json: join(root, 'json') };
    for (const format of ['onnx', 'tfjs', 'json'] as const)
      await exportPolicy({ checkpoint: join(root, 'checkpoint'), format, out: dirs[format] });
    const obs: Float32Array[] = [];
    const masks: Uint8Array[] = [];
    const first: ResetResult<unknown> = env.reset({ seed: 0 });
    let { observation, info } = first;
    env.actionSpace.seed(0);
    while (obs.length < 256) {
      obs.push(flatten(env.observationSpace, observation));
      masks.push(info.actionMask as Uint8Array);
      const step = env.step(env.actionSpace.sample(info.actionMask));
      const next: ResetResult<unknown> = step.terminated || step.truncated ? env.reset() : step;
      ({ observation, info } = next);
    }
    return { dirs, obs, masks };
  })();
  return fixture;
}

/** Fastest µs per inference of each case so far, by case name. */
const bestUs: Record<string, number> = {};

/** A case timing `infer` one call at a time; µs per inference from the fastest run. */
function latencyCase(
  name: string,
  load: (f: Fixture) => Promise<(i: number) => unknown>,
  close?: () => Promise<void> | void,
  extras?: () => Record<string, number>,
): BenchCase {
  let infer: (i: number) => unknown;
  let best = Infinity;
  return {
    suite: 'export',
    name: `ClusterScheduling-v0 PPO 64-64 policy, 1 observation + mask per call: ${name}`,
    unit: 'inferences',
    warmup: 1,
    repeats: 5,
    setup: async () => {
      infer = await load(await prepare());
    },
    run: async () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) await infer(i);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / CALLS);
      bestUs[name] = best;
      return CALLS;
    },
    extras: () => ({ 'µs per inference (best run)': best, ...extras?.() }),
    teardown: close,
  };
}

let session: ort.InferenceSession | undefined;
let model: tf.LayersModel | undefined;

const RUNTIME = 'dependency-free runtime (policy.json)';
const ORT = 'onnxruntime-node session.run (model.onnx, CPU)';

/** The runtime's and onnxruntime-node's µs per inference, timed alternately in blocks (same load for both). */
async function interleavedRatio(f: Fixture): Promise<Record<string, number>> {
  const policy = ExportedPolicy.fromJSON(JSON.parse(readFileSync(join(f.dirs.json, 'policy.json'), 'utf8')));
  const size = f.obs[0].length;
  const n = f.masks[0].length;
  const time = async (infer: (i: number) => unknown) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) await infer(i);
    return Number(process.hrtime.bigint() - t0) / 1e3 / 500;
  };
  const rt: number[] = [];
  const ox: number[] = [];
  for (let block = 0; block < 20; block++) {
    rt.push(await time((i) => policy.act(f.obs[i % f.obs.length], f.masks[i % f.masks.length]).action));
    ox.push(
      await time((i) =>
        session!.run({
          observation: new ort.Tensor('float32', f.obs[i % f.obs.length], [1, size]),
          action_mask: new ort.Tensor('uint8', f.masks[i % f.masks.length], [1, n]),
        }),
      ),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    'runtime µs (interleaved median)': median(rt),
    'onnxruntime-node µs (interleaved median)': median(ox),
    'runtime / onnxruntime-node, µs ratio (interleaved)': median(rt) / median(ox),
  };
}

let ratio: Record<string, number> = {};

export function exportCases(): BenchCase[] {
  return [
    latencyCase(RUNTIME, async (f) => {
      const policy = ExportedPolicy.fromJSON(JSON.parse(readFileSync(join(f.dirs.json, 'policy.json'), 'utf8')));
      return (i) => policy.act(f.obs[i % f.obs.length], f.masks[i % f.masks.length]).action;
    }),
    latencyCase(
      'TF.js predict (model.json, wasm backend)',
      async (f) => {
        model = await loadTfjsPolicy(f.dirs.tfjs);
        const n = f.masks[0].length;
        return (i) =>
          tf.tidy(() => {
            const out = model!.predict([
              tf.tensor2d(f.obs[i % f.obs.length], [1, f.obs[0].length]),
              tf.tensor2d(Float32Array.from(f.masks[i % f.masks.length]), [1, n]),
            ]) as tf.Tensor[];
            return tf.argMax(out[0], 1).dataSync()[0];
          });
      },
      () => {
        model?.dispose();
      },
    ),
    latencyCase(
      ORT,
      async (f) => {
        session = await ort.InferenceSession.create(join(f.dirs.onnx, 'model.onnx'));
        if (bestUs[RUNTIME] !== undefined) ratio = await interleavedRatio(f);
        const size = f.obs[0].length;
        const n = f.masks[0].length;
        return async (i) => {
          const out = await session!.run({
            observation: new ort.Tensor('float32', f.obs[i % f.obs.length], [1, size]),
            action_mask: new ort.Tensor('uint8', f.masks[i % f.masks.length], [1, n]),
          });
          return (out.action.data as BigInt64Array)[0];
        };
      },
      async () => session?.release(),
      () =>
        bestUs[RUNTIME] === undefined
          ? {}
          : { 'runtime / onnxruntime-node, µs ratio (best runs)': bestUs[RUNTIME] / bestUs[ORT], ...ratio },
    ),
  ];
}
