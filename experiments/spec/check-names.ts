/**
 * Checks the runs of an experiment against the registries before anything runs: every env id and agent
 * name must be registered (the error lists the known ones), every env config must build (so a bad env
 * option fails at once, naming the option), and a learned agent needs a training budget.
 * `checkAgentOptions` then builds every agent once, so its options are checked before anything runs.
 */
import { currentBackend, initBackend } from '../../agents/core/backend.js';
import { agentEntry, listAgents } from '../../agents/index.js';
import { InputFileError, SchedlabError, UnknownNameError } from '../../core/errors.js';
import { envSpec, make } from '../../envs/index.js';
import { canonicalJson } from '../records/hash.js';
import type { RunSpec } from '../sweep/expand.js';

export function checkRuns(runs: RunSpec[], file: string): void {
  const agents = listAgents();
  const known = [...new Set(agents.map((a) => a.name))];
  const checkedEnvs = new Set<string>();
  for (const run of runs) {
    const where = `task '${run.task}', agent '${run.agent}'`;
    try {
      envSpec(run.config.env.id);
    } catch (e) {
      if (e instanceof UnknownNameError) throw new InputFileError(file, undefined, `env of ${where}`, e.message);
      throw e;
    }
    const entries = agents.filter((a) => a.name === run.config.agent.name);
    if (entries.length === 0) {
      throw new InputFileError(
        file,
        undefined,
        `agent of ${where}`,
        `unknown agent '${run.config.agent.name}'. Known agents: ${known.join(', ')}`,
      );
    }
    if (entries.every((a) => a.kind === 'learned') && run.config.totalSteps <= 0) {
      throw new InputFileError(
        file,
        undefined,
        `totalSteps of ${where}`,
        `agent '${run.config.agent.name}' is learned and needs a training budget: set totalSteps to a positive number of env steps`,
      );
    }
    const envKey = canonicalJson([run.config.env, run.config.validation?.envOptions ?? null]);
    if (checkedEnvs.has(envKey)) continue;
    checkedEnvs.add(envKey);
    const spaces = envSpaces(run.config.env.id, run.config.env.options, file, `env.options of ${where}`);
    // The validation env (the task's options with validation.envOptions over them) must build and have the training env's spaces.
    const validationOptions = run.config.validation?.envOptions;
    if (!validationOptions) continue;
    const path = `validation.envOptions of ${where}`;
    const own = envSpaces(run.config.env.id, { ...run.config.env.options, ...validationOptions }, file, path);
    if (own !== spaces)
      throw new InputFileError(
        file,
        undefined,
        path,
        `change the env's spaces (training: ${spaces}; validation: ${own}), so the model could not play the validation episodes; accepted: options that keep the spaces, such as longer sequences`,
      );
  }
}

/** Builds the env once and describes its spaces; a refused option is reported against `path` of the experiment file. */
function envSpaces(id: string, options: Record<string, unknown>, file: string, path: string): string {
  try {
    const env = make(id, options);
    const spaces = `${env.observationSpace.toString()} → ${env.actionSpace.toString()}`;
    env.close();
    return spaces;
  } catch (e) {
    if (e instanceof SchedlabError) throw new InputFileError(file, undefined, path, e.message);
    throw e;
  }
}

/**
 * Builds every distinct (env, agent, options) of the runs once, against its env's spaces, so a misspelt or
 * out-of-range agent option (or one that does not fit the env) fails at load time and under `--dry-run`,
 * naming the option, instead of in the middle of a sweep. Learned agents are built on the TensorFlow.js
 * backend the runs will use (chosen quietly here) and disposed at once.
 */
export async function checkAgentOptions(runs: RunSpec[], file: string): Promise<void> {
  const checked = new Set<string>();
  for (const run of runs) {
    const key = canonicalJson({ env: run.config.env, agent: run.config.agent });
    if (checked.has(key)) continue;
    checked.add(key);
    const { env: envConfig, agent: agentConfig } = run.config;
    const env = make(envConfig.id, envConfig.options);
    try {
      const ctx = { seed: run.seed, envId: envConfig.id };
      const entry = agentEntry(agentConfig.name, env, ctx);
      if (entry.kind === 'learned' && !currentBackend()) await initBackend('auto', null);
      entry.create(env, agentConfig.options, ctx).dispose?.();
    } catch (e) {
      if (e instanceof SchedlabError)
        throw new InputFileError(file, undefined, `agent.options of task '${run.task}', agent '${run.agent}'`, e.message);
      throw e;
    } finally {
      env.close();
    }
  }
}
