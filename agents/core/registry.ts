/**
 * The agent registry: names (`sjf`, `ppo`, ...) to factories, with the envs or action spaces each
 * supports, so `schedlab evaluate --agent NAME` and experiments can build any agent by name.
 */
import { SchedlabError, UnknownNameError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import type { Agent } from './agent.js';

export interface AgentContext {
  /** Seed for the agent's own randomness (weights, sampling, exploration). */
  seed: number;
  /** The env id the agent will act on, when made through the registry. */
  envId?: string;
}

export interface AgentEntry {
  name: string;
  kind: 'heuristic' | 'learned';
  /** Among entries of one name, the highest priority that supports the env wins (domain-specific over generic). */
  priority?: number;
  description: string;
  /** Returns null if the agent can act on `env`, else the reason it cannot. */
  supports: (env: Env<any, any>, ctx: AgentContext) => string | null;
  create: (env: Env<any, any>, options: Record<string, unknown>, ctx: AgentContext) => Agent;
  /**
   * Learned agents that train on several envs at once: how many sub-envs `learn` needs for these options
   * (the agent's `options`, or raw options with defaults applied). Absent: one env. `schedlab train` and the
   * experiment runner build `makeVec(id, n, {autoresetMode: 'same-step'})` from it.
   */
  vectorEnvs?: (options: Record<string, unknown>) => number;
}

const agents = new Map<string, AgentEntry[]>();

/** Registers an agent; the same name may be registered by several domains (e.g. `fcfs`), told apart by `supports`. */
export function registerAgent(entry: AgentEntry): void {
  const list = agents.get(entry.name) ?? [];
  list.push(entry);
  list.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  agents.set(entry.name, list);
}

export function listAgents(): AgentEntry[] {
  return [...agents.values()].flat().sort((a, b) => a.name.localeCompare(b.name));
}

export function makeAgent(name: string, env: Env<any, any>, options: Record<string, unknown> = {}, ctx: AgentContext = { seed: 0 }): Agent {
  return agentEntry(name, env, ctx).create(env, options, ctx);
}

/** The registration `makeAgent(name, env, ...)` builds from: its kind and capabilities, before building. */
export function agentEntry(name: string, env: Env<any, any>, ctx: AgentContext = { seed: 0 }): AgentEntry {
  const entries = agents.get(name);
  if (!entries) {
    const names = [...new Set(listAgents().map((a) => a.name))];
    throw new UnknownNameError(`unknown agent '${name}'. Known agents: ${names.join(', ')}`);
  }
  const reasons: string[] = [];
  for (const entry of entries) {
    const why = entry.supports(env, ctx);
    if (why === null) return entry;
    reasons.push(why);
  }
  const envName = ctx.envId ?? env.spec?.id ?? 'this env';
  const fits = listAgents()
    .filter((a) => a.supports(env, ctx) === null)
    .map((a) => a.name);
  throw new SchedlabError(
    `agent '${name}' does not support ${envName}: ${reasons.join('; ')}. Agents that do: ${[...new Set(fits)].join(', ') || '(none)'}`,
  );
}
