/** `random`: samples the action space, among valid actions when the env gives a mask. Works on every env. */
import { opt, parseOptions } from '../../core/options.js';
import type { Env } from '../../envs/core/env.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { spaceFromJSON } from '../../envs/core/spaces/json.js';
import type { Space } from '../../envs/core/spaces/space.js';
import type { ActOptions } from '../core/agent.js';
import { HeuristicAgent } from '../core/heuristic.js';
import { registerAgent } from '../core/registry.js';

export class RandomAgent extends HeuristicAgent<unknown, unknown> {
  private readonly space: Space;

  constructor(actionSpace: Space, seed: number, options: { useMask: boolean }) {
    super('random', options);
    // A private copy of the space, so the agent's draws do not disturb the env's own space generator.
    this.space = spaceFromJSON(actionSpace.toJSON());
    this.space.seed(seed);
  }

  act(_observation: unknown, options: ActOptions = {}): unknown {
    if (this.space instanceof Discrete && this.options.useMask && options.mask) return this.space.sample(options.mask);
    return this.space.sample();
  }
}

registerAgent({
  name: 'random',
  kind: 'heuristic',
  priority: 0,
  description: 'uniform over the action space (over valid actions where the env gives a mask, unless useMask is false)',
  supports: () => null,
  create: (env: Env<any, any>, options, ctx) =>
    new RandomAgent(env.actionSpace, ctx.seed, parseOptions('random', options, { useMask: opt.bool(true) })),
});
