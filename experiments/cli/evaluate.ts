import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { currentBackend, initBackend } from '../../agents/core/backend.js';
import { readCheckpointMeta } from '../../agents/core/checkpoint.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { agentEntry } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { Wrapper, type ResetArgs, type ResetResult } from '../../envs/core/env.js';
import { make } from '../../envs/index.js';
import { formatEvaluation } from './format.js';
import { parseJsonObjectFlag } from './parse-json.js';

interface EvaluateArgs {
  env: string;
  'env-options'?: string;
  agent: string;
  'agent-options'?: string;
  episodes: number;
  seed: number;
  json: boolean;
  stochastic: boolean;
  checkpoint?: string;
  policy?: string;
  untrained?: boolean;
}

/**
 * Keeps the `info.skippedLines` report of the env's resets (BatchScheduling-v0 with onBadLine 'skip':
 * the malformed trace lines left out), so the evaluation's output says what its episodes were played without.
 */
class SkippedLinesWatch<Obs, Act> extends Wrapper<Obs, Act> {
  report: unknown;

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = super.reset(args);
    if (result.info.skippedLines !== undefined) this.report = result.info.skippedLines;
    return result;
  }
}

/**
 * The env options a trained policy was trained with, for an evaluation without --env-options: those in
 * the export's policy.meta.json, or beside a checkpoint in the train.json of 'schedlab train' or the
 * run.json of 'schedlab run'. Undefined when no such file records options for this env.
 */
function recordedEnvOptions(env: string, policy?: string, checkpoint?: string): Record<string, unknown> | undefined {
  // [file, path of the env id, path of the env options]
  const sources: [string, string[], string[]][] = [];
  if (policy !== undefined) sources.push([join(policy, 'policy.meta.json'), ['env', 'id'], ['env', 'options']]);
  if (checkpoint !== undefined) {
    const dir = dirname(resolve(checkpoint));
    sources.push(
      [join(dir, 'train.json'), ['env'], ['envOptions']],
      [join(dir, 'run.json'), ['config', 'env', 'id'], ['config', 'env', 'options']],
    );
  }
  const at = (value: unknown, path: string[]): unknown =>
    path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
  for (const [file, idPath, optionsPath] of sources) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // absent or unreadable: loading the policy reports what is wrong with it
    }
    const options = at(json, optionsPath);
    if (at(json, idPath) === env && options !== null && typeof options === 'object' && !Array.isArray(options))
      return options as Record<string, unknown>;
  }
  return undefined;
}

export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: 'evaluate',
  describe: 'evaluate an agent on an environment and report per-episode metrics',
  builder: (y) =>
    y
      .option('env', { type: 'string', demandOption: true, describe: 'env id, e.g. CartPole-v1' })
      .option('env-options', {
        type: 'string',
        describe:
          "env options as a JSON object (default with --policy or --checkpoint: the training's, from its policy.meta.json, train.json or run.json)",
      })
      .option('agent', { type: 'string', demandOption: true, describe: 'agent name, e.g. sjf' })
      .option('agent-options', { type: 'string', describe: 'agent options as a JSON object' })
      .option('episodes', { type: 'number', default: 10, describe: 'number of episodes' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the first reset and of the agent' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
      .option('stochastic', {
        type: 'boolean',
        default: false,
        describe: 'learned agents sample their actions (seeded) instead of taking the greedy one',
      })
      .option('checkpoint', {
        type: 'string',
        describe:
          "a learned agent's checkpoint folder (OUT/checkpoint of 'schedlab train'); its options are the defaults of --agent-options",
      })
      .option('untrained', {
        type: 'boolean',
        default: false,
        describe: 'evaluate a learned agent without a checkpoint: its freshly initialised, untrained network',
      })
      .option('policy', { type: 'string', describe: "an exported policy folder ('schedlab export' output) for --agent exported" })
      .check((a) => {
        if (!Number.isInteger(a.episodes) || a.episodes < 1) throw new Error(`--episodes must be a positive integer, got ${a.episodes}`);
        if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${a.seed}`);
        return true;
      }),
  handler: async (args) => {
    const envOptions =
      args['env-options'] === undefined
        ? (recordedEnvOptions(args.env, args.policy, args.checkpoint) ?? {})
        : parseJsonObjectFlag('env-options', args['env-options']);
    let agentOptions = parseJsonObjectFlag('agent-options', args['agent-options']);
    if (args.checkpoint !== undefined) {
      const meta = await readCheckpointMeta(args.checkpoint);
      if (meta.agent !== args.agent)
        throw new SchedlabError(`--checkpoint ${args.checkpoint} holds agent '${meta.agent}', not '${args.agent}'`);
      agentOptions = { ...meta.config, ...agentOptions };
      await initBackend('auto', null);
    }
    if (args.policy !== undefined) {
      if (args.agent !== 'exported')
        throw new SchedlabError(`--policy is the folder of an exported policy, used with --agent exported (not '${args.agent}')`);
      agentOptions = { ...agentOptions, policy: args.policy };
    }
    const env = make(args.env, envOptions);
    const ctx = { seed: args.seed, envId: args.env };
    const entry = agentEntry(args.agent, env, ctx);
    // An exported policy (--policy) is trained already: only a learned agent with nothing to load is refused.
    if (entry.kind === 'learned' && args.checkpoint === undefined && args.policy === undefined && !args.untrained) {
      throw new SchedlabError(
        `agent '${args.agent}' is learned: evaluate a trained one with --checkpoint DIR (OUT/checkpoint of 'schedlab train', or runs/<id>/checkpoint of 'schedlab run'), or pass --untrained to score its untrained network`,
      );
    }
    if (entry.kind === 'learned' && !currentBackend()) await initBackend('auto', null);
    const agent = entry.create(env, agentOptions, ctx);
    if (args.checkpoint !== undefined) await agent.load(args.checkpoint);
    if (args.policy !== undefined) await agent.load(args.policy);
    const watched = new SkippedLinesWatch(env);
    const result = evaluate(watched, agent, { episodes: args.episodes, seed: args.seed, deterministic: !args.stochastic });
    watched.close();
    const report = {
      env: args.env,
      agent: args.agent,
      episodes: result.episodes,
      seed: result.seed,
      deterministic: !args.stochastic,
      envOptions,
      agentOptions: agent.options,
      metrics: result.metrics,
      ...(watched.report !== undefined ? { skippedLines: watched.report } : {}),
    };
    process.stdout.write(args.json ? JSON.stringify(report) + '\n' : formatEvaluation(report));
  },
};
