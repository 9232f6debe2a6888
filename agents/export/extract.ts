/**
 * Reads a trained policy out of a checkpoint through the agents' own loading code: the agent named in
 * checkpoint.json is built by the registry on the checkpoint's spaces and `load`s the folder (which
 * checks format, spaces and architecture), then its actor-critic network's parameters are read by
 * name into the export's layer list. No network maths is done here.
 */
import { join } from 'node:path';
import { InputFileError, SchedlabError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import { flattenSpace } from '../../envs/core/spaces/flatten.js';
import { spaceFromJSON } from '../../envs/core/spaces/json.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { Agent } from '../core/agent.js';
import { CHECKPOINT_FILE, loadCheckpoint, readCheckpointMeta, type CheckpointMeta } from '../core/checkpoint.js';
import { MASKED_LOGIT } from '../core/distributions.js';
import { ActorCritic } from '../core/nn/actor-critic.js';
import { makeAgent } from '../core/registry.js';
// Every agent registered, so any checkpoint's agent can be rebuilt by name.
import '../index.js';
import {
  POLICY_FORMAT,
  MASKED_LOGIT as RUNTIME_MASKED_LOGIT,
  type DenseLayerJSON,
  type NetworkJSON,
  type PolicyJSON,
} from './runtime/format.js';

/** Epsilon of the agents' observation normalisation ((x − mean) / sqrt(var + 1e-8)). */
const NORM_EPSILON = 1e-8;

if (MASKED_LOGIT !== RUNTIME_MASKED_LOGIT) throw new Error('export: the runtime MASKED_LOGIT differs from the training distribution');

export interface LoadedPolicy {
  policy: PolicyJSON;
  meta: CheckpointMeta;
  /** The agent restored from the checkpoint (the reference the export must match); dispose when done. */
  agent: Agent;
  observationSpace: Space;
  actionSpace: Space;
}

/** Builds the checkpoint's agent on its recorded spaces and restores it. */
async function restoreAgent(dir: string, meta: CheckpointMeta, observationSpace: Space, actionSpace: Space): Promise<Agent> {
  // The agents need only the spaces (and the id) to be built; the checkpoint may come from an env made outside the registry.
  const shell = { observationSpace, actionSpace, spec: meta.envId ? { id: meta.envId } : undefined } as unknown as Env<unknown, unknown>;
  const seed = Number(meta.counters?.seed ?? 0);
  const file = join(dir, CHECKPOINT_FILE);
  const { tensors } = await loadCheckpoint(dir);
  if (Object.keys(tensors).length === 0)
    throw new InputFileError(file, undefined, 'weightsManifest', 'lists no tensors: the checkpoint holds no policy to export');
  const agent = makeAgent(meta.agent, shell, meta.config, { seed, envId: meta.envId ?? undefined });
  try {
    await agent.load(dir);
  } catch (e) {
    agent.dispose?.();
    if (e instanceof SchedlabError) throw e;
    throw new InputFileError(
      file,
      undefined,
      undefined,
      `agent '${meta.agent}' cannot restore a policy from it (${(e as Error).message}); is it a complete checkpoint of a trained policy?`,
    );
  }
  return agent;
}

function denseLayers(
  net: ActorCritic,
  prefix: string,
  count: number,
  activation: DenseLayerJSON['activation'],
  withOut: string | null,
): DenseLayerJSON[] {
  const names = Array.from({ length: count }, (_, i) => `${prefix}.${i}`);
  if (withOut) names.push(withOut);
  return names.map((name, i) => {
    const w = net.store.specs.find((s) => s.name === `${name}.weight`);
    const b = net.store.specs.find((s) => s.name === `${name}.bias`);
    if (!w || !b)
      throw new SchedlabError(
        `export: the network has no parameter ${name}.weight/bias (layout: ${net.store.specs.map((s) => s.name).join(', ')})`,
      );
    const v = net.store.values;
    return {
      inSize: w.shape[0],
      outSize: w.shape[1],
      activation: withOut && i === names.length - 1 ? 'linear' : activation,
      weight: Array.from(v.subarray(w.offset, w.offset + w.size)),
      bias: Array.from(v.subarray(b.offset, b.offset + b.size)),
    };
  });
}

/** The actor (and critic) of an ActorCritic as layer lists, following its parameter names. */
function networks(net: ActorCritic): { actor: NetworkJSON; critic: NetworkJSON } {
  const c = net.config;
  if (c.body === 'shared') {
    return {
      actor: {
        layers: [...denseLayers(net, 'body', c.pi.length, c.activation, null), ...denseLayers(net, 'actor', 0, c.activation, 'actor.out')],
      },
      critic: {
        layers: [
          ...denseLayers(net, 'body', c.pi.length, c.activation, null),
          ...denseLayers(net, 'critic', 0, c.activation, 'critic.out'),
        ],
      },
    };
  }
  const actor: NetworkJSON = { layers: denseLayers(net, 'actor', c.pi.length, c.activation, 'actor.out') };
  if (c.body === 'items') actor.items = { itemCount: c.headSize, itemSize: c.itemSize! };
  return { actor, critic: { layers: denseLayers(net, 'critic', c.vf.length, c.activation, 'critic.out') } };
}

const toJsonBound = (v: number) => (v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v);

/** Loads `dir` (a checkpoint folder) and returns its policy in the export's JSON form. */
export async function loadPolicy(dir: string, { withValue = true }: { withValue?: boolean } = {}): Promise<LoadedPolicy> {
  const file = join(dir, CHECKPOINT_FILE);
  const meta = await readCheckpointMeta(dir);
  const observationSpace = spaceFromJSON(meta.observationSpace);
  const actionSpace = spaceFromJSON(meta.actionSpace);
  const agent = await restoreAgent(dir, meta, observationSpace, actionSpace);
  const net = (agent as { net?: unknown }).net;
  if (!(net instanceof ActorCritic)) {
    agent.dispose?.();
    throw new InputFileError(
      file,
      undefined,
      'agent',
      `agent '${meta.agent}' has no policy network to export (no actor-critic); export takes checkpoints of policy-gradient agents (ppo, a2c)`,
    );
  }
  const a = meta.actionSpace as { type: string; n?: number; start?: number };
  if (a.type !== 'Discrete' || net.config.gaussian) {
    agent.dispose?.();
    throw new InputFileError(
      file,
      undefined,
      'actionSpace',
      `is ${actionSpace.toString()}; export supports Discrete action spaces (masked or not)`,
    );
  }
  const flat = flattenSpace(observationSpace);
  const config = meta.config as { normalizeObservation?: boolean; clipObs?: number };
  const stats = (meta.normalization as { observation?: { mean: number[]; var: number[] } } | null | undefined)?.observation;
  if (config.normalizeObservation && !stats)
    throw new InputFileError(file, undefined, 'normalization', 'is missing although the agent normalises observations');
  const { actor, critic } = networks(net);
  const policy: PolicyJSON = {
    format: POLICY_FORMAT,
    observation: { size: flat.size, low: Array.from(flat.low, toJsonBound), high: Array.from(flat.high, toJsonBound) },
    normalization:
      config.normalizeObservation && stats
        ? { mean: stats.mean, var: stats.var, epsilon: NORM_EPSILON, clip: Number(config.clipObs) }
        : null,
    action: { type: 'Discrete', n: a.n!, start: a.start ?? 0 },
    actor,
  };
  if (withValue) policy.critic = critic;
  return { policy, meta, agent, observationSpace, actionSpace };
}
