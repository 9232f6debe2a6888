/**
 * What the placement policies share: they read the state view GpuClusterPlacement-v0 publishes in
 * `info.placement` (data only), score every node where the pod fits with the reference's integer node score
 * (0–100, higher is better; hkust-adsl/kubernetes-scheduler-simulator 8f3d641, pkg/simulator/plugin/*_score.go),
 * and pick the best. Ties go to the node of lowest `view.tieRank`, a random permutation the env draws from its
 * seeded RNG at reset: the reference's Kubernetes fork (mental2008/kubernetes v1.20.5-minor, selectHost)
 * keeps the smallest node name among equal scores, and the simulator prefixes the names with a random
 * permutation per run, so ties are broken by a random but fixed node order (first-fit among equals, which
 * packs), not by a fresh draw per decision. The action names the node and the rule by which the env picks a
 * shared GPU on it (`{node, gpuRule}`), as the published runs configured Open-Gpu-Share's gpuSelMethod:
 * `random` for Random, FGD's own for FGD, best-fit otherwise.
 */
import { SchedlabError } from '../../../core/errors.js';
import type { Env } from '../../../envs/core/env.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import { GpuClusterPlacementEnv } from '../../../envs/placement/gpu-placement.js';
import { readPlacementView, type PlacementNodeAction, type PlacementStateView } from '../../../envs/placement/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';

export const PLACEMENT_ENV_ID = 'GpuClusterPlacement-v0';

/** For `supports`: null on GpuClusterPlacement-v0 (wrapped or not), else why not. */
export function supportsPlacement(env: Env<any, any>): string | null {
  return env.unwrapped instanceof GpuClusterPlacementEnv
    ? null
    : `it reads the ${PLACEMENT_ENV_ID} state view (info.placement) and acts only on that env`;
}

export function requireView(agent: string, info: ActOptions['info']): PlacementStateView {
  return readPlacementView(info, agent);
}

export abstract class ScoringPlacementHeuristic extends HeuristicAgent<Float32Array, PlacementNodeAction> {
  /** How the env picks a shared GPU on the chosen node under gpuSelect 'policy' (the action's gpuRule). */
  protected abstract readonly gpuRule: GpuRule;

  /** The reference's integer score of node i for the view's pod; only nodes where the pod fits are scored. */
  protected abstract score(view: PlacementStateView, i: number): number;

  /** Called once per decision before the nodes are scored (FGD brings its fragmentation up to the view). */
  protected prepare(view: PlacementStateView): void {
    void view;
  }

  act(_observation: Float32Array, options: ActOptions = {}): PlacementNodeAction {
    const view = requireView(this.name, options.info);
    this.prepare(view);
    const mask = view.mask;
    const rank = view.tieRank;
    let best = -Infinity;
    let chosen = -1;
    for (let i = 0; i < view.numNodes; i++) {
      if (!mask[i]) continue;
      const s = this.score(view, i);
      if (s > best || (s === best && rank[i] < rank[chosen])) {
        best = s;
        chosen = i;
      }
    }
    if (chosen < 0) throw new SchedlabError(`agent '${this.name}': the pod fits no node (the env drops such pods before asking)`);
    return { node: chosen, gpuRule: this.gpuRule };
  }
}
