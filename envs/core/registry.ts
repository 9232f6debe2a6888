/**
 * The env registry (Gymnasium's `register` / `make`): ids are `Name-vN`; `make` builds the env and wraps
 * it as Gymnasium does: passive checker → order enforcing → TimeLimit.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OptionError, UnknownNameError } from '../../core/errors.js';
import { PassiveEnvChecker } from './checker/passive.js';
import type { Env } from './env.js';
import { OrderEnforcing } from './wrappers/order-enforcing.js';
import { TimeLimit } from './wrappers/time-limit.js';

export interface EnvSpec {
  id: string;
  /** Builds the env from its options (defaultOptions merged with the caller's). */
  entryPoint: (options: Record<string, unknown>) => Env<any, any>;
  maxEpisodeSteps?: number;
  rewardThreshold?: number;
  nondeterministic?: boolean;
  defaultOptions?: Record<string, unknown>;
  /** One line for `schedlab envs`. */
  description?: string;
  /** Where the model comes from (paper or system). */
  source?: string;
  disableEnvChecker?: boolean;
  orderEnforce?: boolean;
  /**
   * The module whose import registers this id (pass `import.meta.url` of the registering module):
   * Gymnasium's string entry point. A worker thread of ParallelVectorEnv imports exactly this module to
   * build the env, instead of every domain. A TypeScript source URL is mapped to its compiled `dist/` file.
   */
  module?: string;
}

export interface MakeOverrides {
  /** Replaces the registered limit; null removes the TimeLimit wrapper. */
  maxEpisodeSteps?: number | null;
  disableEnvChecker?: boolean;
}

const ID = /^([A-Za-z][\w:.-]*?)-v(\d+)$/;
const registry = new Map<string, EnvSpec>();

export function register(spec: EnvSpec): void {
  if (!ID.test(spec.id)) throw new OptionError('id', `is '${spec.id}'`, "an id of the form 'Name-vN'", 'register');
  if (registry.has(spec.id)) throw new OptionError('id', `'${spec.id}' is already registered`, 'a new id', 'register');
  registry.set(spec.id, Object.freeze({ ...spec }));
}

export function listEnvs(): EnvSpec[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function envSpec(id: string): EnvSpec {
  const spec = registry.get(id);
  if (spec) return spec;
  const known = listEnvs().map((s) => s.id);
  const m = ID.exec(id);
  const sameName = m ? known.filter((k) => k.startsWith(m[1] + '-v')) : [];
  const hint = sameName.length ? ` Other versions of it: ${sameName.join(', ')}.` : '';
  throw new UnknownNameError(`unknown env id '${id}'.${hint} Known envs: ${known.join(', ') || '(none registered)'}`);
}

/**
 * The compiled module that registers `id`, for worker threads (which run plain Node, not a TypeScript
 * loader): a `.ts` source under the project maps to the same path under `dist/` with `.js`.
 */
export function registeringModule(id: string): string | undefined {
  const module = envSpec(id).module;
  if (!module?.endsWith('.ts')) return module;
  const path = fileURLToPath(module);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return pathToFileURL(join(root, 'dist', relative(root, path)).replace(/\.ts$/, '.js')).href;
}

/** Builds a registered env with `options` merged over its defaults, wrapped as Gymnasium's make does. */
export function make<Obs = any, Act = any>(
  id: string,
  options: Record<string, unknown> = {},
  overrides: MakeOverrides = {},
): Env<Obs, Act> {
  const spec = envSpec(id);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError('options', `must be an object, got ${JSON.stringify(options)}`, 'a JSON object', id);
  }
  let env: Env<any, any> = spec.entryPoint({ ...(spec.defaultOptions ?? {}), ...options });
  const maxEpisodeSteps = overrides.maxEpisodeSteps === undefined ? spec.maxEpisodeSteps : overrides.maxEpisodeSteps;
  env.spec = { ...spec, maxEpisodeSteps: maxEpisodeSteps ?? undefined };
  if (!(overrides.disableEnvChecker ?? spec.disableEnvChecker)) env = new PassiveEnvChecker(env);
  if (spec.orderEnforce ?? true) env = new OrderEnforcing(env);
  if (maxEpisodeSteps != null) env = new TimeLimit(env, maxEpisodeSteps);
  return env as Env<Obs, Act>;
}
