/**
 * Imports RLScheduler's trained "rl_kernel" policy (Zhang et al., SC 2020; DIR-LAB/deep-batch-scheduler,
 * `trained_models/.../simple_save/variables/`) as a schedlab PPO checkpoint for BatchScheduling-v0: the
 * same per-job MLP (`pi/dense` 8→32 ReLU, `pi/dense_1` 32→16 ReLU, `pi/dense_2` 16→8 ReLU, `pi/dense_3`
 * 8→1, kernels [in, out]) scores every visible job, and the scores are the logits — exactly PPO's per-item
 * actor (body 'items', piLayers [32, 16, 8], activation relu). RLScheduler's critic has another shape
 * (per-job layers, then 128→64→32→8→1); it is not needed to act and is not imported: the checkpoint's
 * critic is zero (value 0), so `evaluate` and `export` work and training can continue from the policy.
 * The checkpoint records where it came from (`extra.imported`) and, when given, the seeds of the
 * TensorFlow multinomial op that sampled its published actions.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputFileError, SchedlabError } from '../../core/errors.js';
import type { Space } from '../../envs/core/spaces/space.js';
import { CHECKPOINT_FILE, readCheckpointMeta } from '../core/checkpoint.js';
import { PPO } from '../ppo/ppo.js';
import { bundlePrefix, readTensorBundle, type BundleTensor } from './tf-bundle.js';

/** The actor of RLScheduler's kernel network: bundle tensor → schedlab parameter, with the shape both have. */
const KERNEL_LAYERS: { bundle: string; param: string; shape: (features: number) => number[] }[] = [
  { bundle: 'pi/dense/kernel', param: 'actor.0.weight', shape: (f) => [f, 32] },
  { bundle: 'pi/dense/bias', param: 'actor.0.bias', shape: () => [32] },
  { bundle: 'pi/dense_1/kernel', param: 'actor.1.weight', shape: () => [32, 16] },
  { bundle: 'pi/dense_1/bias', param: 'actor.1.bias', shape: () => [16] },
  { bundle: 'pi/dense_2/kernel', param: 'actor.2.weight', shape: () => [16, 8] },
  { bundle: 'pi/dense_2/bias', param: 'actor.2.bias', shape: () => [8] },
  { bundle: 'pi/dense_3/kernel', param: 'actor.out.weight', shape: () => [8, 1] },
  { bundle: 'pi/dense_3/bias', param: 'actor.out.bias', shape: () => [1] },
];

/** PPO's options for the imported policy (its critic is RLScheduler's size class, unused). */
export const RLSCHEDULER_KERNEL_OPTIONS = { body: 'items', piLayers: [32, 16, 8], vfLayers: [64, 32, 8], activation: 'relu' } as const;

/** What keeps `tensors` from being the kernel policy for jobs of `itemSize` features (empty: nothing). */
export function kernelProblems(tensors: ReadonlyMap<string, BundleTensor>, itemSize: number): string[] {
  const problems: string[] = [];
  for (const layer of KERNEL_LAYERS) {
    const t = tensors.get(layer.bundle);
    const want = layer.shape(itemSize);
    if (!t) problems.push(`'${layer.bundle}' is missing`);
    else if (t.dtype !== 'float32') problems.push(`'${layer.bundle}' is ${t.dtype}, not float32`);
    else if (JSON.stringify(t.shape) !== JSON.stringify(want))
      problems.push(`'${layer.bundle}' has shape [${t.shape.join(', ')}], the env's observation needs [${want.join(', ')}]`);
  }
  return problems;
}

export interface ImportOptions {
  /** A trained model folder (SavedModel `variables/` or its parent). */
  from: string;
  /** The checkpoint folder to write. */
  out: string;
  observationSpace: Space;
  actionSpace: Space;
  envId: string;
  /** The TensorFlow multinomial op's (seed, seed2) of the reference's evaluation, recorded for replay. */
  samplerSeeds?: [number, number];
}

export interface ImportResult {
  out: string;
  parameters: number;
  tensors: { name: string; shape: number[] }[];
}

/**
 * RLScheduler's policy at `from` as an in-memory PPO agent on the given spaces (dispose it when done);
 * throws an InputFileError naming the bundle and every missing or mis-shaped policy tensor.
 */
export function loadRlschedulerKernel(
  from: string,
  observationSpace: Space,
  actionSpace: Space,
  envId: string,
): { agent: PPO; tensors: Map<string, BundleTensor>; prefix: string } {
  const prefix = bundlePrefix(from);
  const tensors = new Map<string, BundleTensor>(readTensorBundle(prefix).map((t) => [t.name, t]));
  const agent = new PPO(
    observationSpace,
    actionSpace,
    { ...RLSCHEDULER_KERNEL_OPTIONS, piLayers: [32, 16, 8], vfLayers: [64, 32, 8] },
    { seed: 0, envId },
  );
  try {
    const itemSize = agent.net.config.itemSize!;
    const problems = kernelProblems(tensors, itemSize);
    if (problems.length) {
      const policyTensors = [...tensors.values()]
        .filter((t) => t.name.startsWith('pi/') && !t.name.includes('Adam'))
        .map((t) => `${t.name} [${t.shape.join(', ')}]`);
      throw new InputFileError(
        `${prefix}.index`,
        undefined,
        undefined,
        `is not RLScheduler's per-job kernel policy for this env (${itemSize} features per job): ${problems.join('; ')}. Its policy tensors: ${policyTensors.join(', ') || '(none)'}`,
      );
    }
    const values = new Float32Array(agent.net.store.size);
    let offset = 0;
    const byParam = new Map(KERNEL_LAYERS.map((l) => [l.param, tensors.get(l.bundle)!]));
    for (const { name, shape } of agent.net.store.layout()) {
      const t = byParam.get(name);
      if (t) values.set(t.values!, offset); // critic parameters stay 0
      offset += shape.reduce((x, y) => x * y, 1);
    }
    agent.net.store.assign(values);
    return { agent, tensors, prefix };
  } catch (e) {
    agent.dispose();
    throw e;
  }
}

/** Checks and converts the bundle at `from`; writes a PPO checkpoint into `out`. */
export async function importRlschedulerKernel({
  from,
  out,
  observationSpace,
  actionSpace,
  envId,
  samplerSeeds,
}: ImportOptions): Promise<ImportResult> {
  const { agent, tensors, prefix } = loadRlschedulerKernel(from, observationSpace, actionSpace, envId);
  try {
    await agent.save(out);
  } finally {
    agent.dispose();
  }
  // Provenance (and the sampler seeds) in the checkpoint's meta, written atomically.
  const metaFile = join(out, CHECKPOINT_FILE);
  const meta = await readCheckpointMeta(out);
  const files = readdirSync(resolve(prefix, '..'))
    .filter((f) => f.startsWith('variables.'))
    .sort();
  meta.extra = {
    ...meta.extra,
    imported: {
      format: 'tf-bundle',
      network: "RLScheduler's per-job kernel policy (pi/dense..pi/dense_3); critic not imported (zero)",
      from: resolve(from),
      md5: Object.fromEntries(
        files.map((f) => [
          f,
          createHash('md5')
            .update(readFileSync(join(resolve(prefix, '..'), f)))
            .digest('hex'),
        ]),
      ),
      ...(samplerSeeds ? { tfMultinomial: { seed: samplerSeeds[0], seed2: samplerSeeds[1] } } : {}),
    },
  };
  const json = JSON.parse(readFileSync(metaFile, 'utf8')) as { extra?: unknown };
  json.extra = meta.extra;
  await writeFile(`${metaFile}.tmp`, JSON.stringify(json, null, 1) + '\n');
  await rename(`${metaFile}.tmp`, metaFile);
  const parameters = KERNEL_LAYERS.reduce((a, l) => a + tensors.get(l.bundle)!.values!.length, 0);
  if (parameters !== 961 && agent.net.config.itemSize === 8)
    throw new SchedlabError(`import: expected RLScheduler's 961 policy parameters, read ${parameters}`);
  return { out, parameters, tensors: KERNEL_LAYERS.map((l) => ({ name: l.bundle, shape: tensors.get(l.bundle)!.shape })) };
}
