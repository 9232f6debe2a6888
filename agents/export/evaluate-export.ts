/**
 * The score recorded in policy.meta.json, measured on the exported artifact itself: the policy's
 * deterministic actions on `episodes` episodes of its env (made with the meta's env id and options)
 * from `seed`. JSON exports run on the dependency-free runtime and TF.js exports through tfjs (both via
 * the `exported` agent); ONNX exports run in onnxruntime-node, asynchronously. An artifact that cannot
 * act on its own env (spaces differ) is an error, not a silently missing score.
 */
import { join } from 'node:path';
import { SchedlabError } from '../../core/errors.js';
import { make } from '../../envs/core/registry.js';
import { flatten } from '../../envs/core/spaces/flatten.js';
import { evaluate, evaluateAsync } from '../core/evaluation.js';
import { ExportedAgent } from './exported-agent.js';
import type { ExportEvaluation, PolicyMeta } from './meta.js';

export interface ExportEvaluationOptions {
  episodes: number;
  seed: number;
}

const means = (metrics: Record<string, { mean: number }>) => Object.fromEntries(Object.entries(metrics).map(([k, m]) => [k, m.mean]));

/** Null when there is nothing to evaluate on: no env id in the meta, or 0 episodes asked for. */
export async function evaluateExport(
  dir: string,
  meta: PolicyMeta,
  { episodes, seed }: ExportEvaluationOptions,
): Promise<ExportEvaluation | null> {
  if (!meta.env.id || episodes === 0) return null;
  const env = make(meta.env.id, meta.env.options ?? {});
  try {
    if (
      JSON.stringify(env.observationSpace.toJSON()) !== JSON.stringify(meta.observationSpace) ||
      JSON.stringify(env.actionSpace.toJSON()) !== JSON.stringify(meta.actionSpace)
    ) {
      throw new SchedlabError(
        `export: ${meta.env.id} made with options ${JSON.stringify(meta.env.options ?? {})} has other spaces than the checkpoint's, so the export cannot be evaluated on it; pass the training's env options (--env-options), or --eval-episodes 0 to record no evaluation`,
      );
    }
    const source = `measured on the exported ${meta.format} artifact (deterministic actions)`;
    if (meta.format === 'onnx') {
      const onnx = await onnxPolicy(dir, meta, env.observationSpace);
      try {
        const result = await evaluateAsync(env, onnx.policy, { episodes, seed, deterministic: true });
        return { source, episodes, seed, deterministic: true, metrics: means(result.metrics) };
      } finally {
        await onnx.release();
      }
    }
    const agent = new ExportedAgent(env.observationSpace, env.actionSpace, { policy: dir });
    try {
      await agent.load(dir);
      const result = evaluate(env, agent, { episodes, seed, deterministic: true });
      return { source, episodes, seed, deterministic: true, metrics: means(result.metrics) };
    } finally {
      agent.dispose();
    }
  } finally {
    env.close();
  }
}

/** model.onnx in an onnxruntime-node session, as an asynchronous policy (action = the graph's `action` output). */
async function onnxPolicy(dir: string, meta: PolicyMeta, observationSpace: Parameters<typeof flatten>[0]) {
  // Loaded only when an ONNX export is evaluated (its native binding is large).
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const n = (meta.actionSpace as { n?: number }).n ?? 0;
  const allValid = new Uint8Array(n).fill(1);
  const policy = async (observation: unknown, options: { mask?: ArrayLike<number> }) => {
    const x = flatten(observationSpace, observation);
    const mask = options.mask ? Uint8Array.from(options.mask, (m) => (m ? 1 : 0)) : allValid;
    const out = await session.run({
      observation: new ort.Tensor('float32', x, [1, x.length]),
      action_mask: new ort.Tensor('uint8', mask, [1, n]),
    });
    return Number((out.action.data as BigInt64Array)[0]);
  };
  return { policy, release: () => session.release() };
}
