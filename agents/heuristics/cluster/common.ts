/**
 * What DeepRM's baselines share (other_agents.py): they read the state view ClusterScheduling-v0
 * publishes in `info.cluster`, consider only slot jobs that fit now (in steps 0 … len − 1), pick the one
 * with the highest positive score (the first slot wins ties), and do nothing when none fits.
 */
import { SchedlabError } from '../../../core/errors.js';
import { ClusterSchedulingEnv } from '../../../envs/cluster/cluster-scheduling.js';
import { clusterStateView, type ClusterStateView } from '../../../envs/cluster/state-view.js';
import type { Env } from '../../../envs/core/env.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';

export const CLUSTER_ENV_ID = 'ClusterScheduling-v0';

/** For `supports`: null on ClusterScheduling-v0 (wrapped or not), else why not. */
export function supportsCluster(env: Env<any, any>): string | null {
  return env.unwrapped instanceof ClusterSchedulingEnv
    ? null
    : `it reads the ${CLUSTER_ENV_ID} state view (info.cluster) and acts only on that env`;
}

export function requireView(agent: string, info: ActOptions['info']): ClusterStateView {
  const view = clusterStateView(info);
  if (!view)
    throw new SchedlabError(
      `agent '${agent}' needs the info of the last reset/step of ${CLUSTER_ENV_ID} (info.cluster): pass act(observation, {info})`,
    );
  return view;
}

export abstract class ScoringClusterHeuristic extends HeuristicAgent<Float32Array, number> {
  /** The job's score; only jobs that fit now are scored. */
  protected abstract score(view: ClusterStateView, slot: number): number;

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = requireView(this.name, options.info);
    let best = 0;
    let action = view.numSlots; // do nothing
    for (let s = 0; s < view.numSlots; s++) {
      if (!view.slotFits[s]) continue;
      const score = this.score(view, s);
      if (score > best) {
        best = score;
        action = s;
      }
    }
    return action;
  }
}

/** Packer's alignment: free units now · the job's demand. */
export function alignment(view: ClusterStateView, slot: number): number {
  let a = 0;
  for (let r = 0; r < view.numRes; r++) a += view.freeNow[r] * view.slotDemand[slot * view.numRes + r];
  return a;
}
