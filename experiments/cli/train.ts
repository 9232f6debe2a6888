/**
 * `schedlab train --env ID [--env-options JSON] --agent NAME [--agent-options JSON] --steps N --seed S
 * --out DIR [--backend auto|tensorflow|wasm|cpu]`: trains a learned agent and writes into DIR
 * - `checkpoint/` (weights, optimizer, RNG and normalisation state; reloaded by `schedlab evaluate
 *   --checkpoint DIR/checkpoint`), saved every --checkpoint-every steps and at the end;
 * - `progress.csv` / `progress.jsonl` (the learning curve, CleanRL's metric names);
 * - `evaluation.json` (the final evaluation, in `schedlab evaluate --json`'s shape);
 * - `train.json` (what ran: env, agent, options after defaults, seed, steps, backend/device, timings).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { make } from '../../envs/index.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { SchedlabError } from '../../core/errors.js';
import { makeAgent } from '../../agents/index.js';
import { BACKEND_OPTIONS, type BackendOption, initBackend } from '../../agents/core/backend.js';
import { CheckpointCallback } from '../../agents/core/callbacks.js';
import { TrainingLogger } from '../../agents/core/logger.js';
import { NonFiniteLossError } from '../../agents/core/training-errors.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { formatEvaluation } from './format.js';
import { parseJsonObjectFlag } from './parse-json.js';

interface TrainArgs {
  env: string;
  'env-options'?: string;
  agent: string;
  'agent-options'?: string;
  steps: number;
  seed: number;
  out: string;
  backend: string;
  'eval-episodes': number;
  'eval-seed'?: number;
  'checkpoint-every'?: number;
  quiet: boolean;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'train a learned agent (ppo, ...) and save its checkpoint, learning curve and final evaluation',
  builder: (y) =>
    y
      .option('env', { type: 'string', demandOption: true, describe: 'env id, e.g. CartPole-v1' })
      .option('env-options', { type: 'string', describe: 'env options as a JSON object' })
      .option('agent', { type: 'string', demandOption: true, describe: 'learned agent: ppo, a2c, dqn, reinforce' })
      .option('agent-options', { type: 'string', describe: 'agent options as a JSON object, e.g. \'{"numEnvs": 8}\'' })
      .option('steps', { type: 'number', demandOption: true, describe: 'environment steps to train for' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the network, the sampling and the env resets' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('backend', { type: 'string', default: 'auto', describe: `TensorFlow.js backend: ${BACKEND_OPTIONS.join(' | ')}` })
      .option('eval-episodes', { type: 'number', default: 10, describe: 'episodes of the final deterministic evaluation' })
      .option('eval-seed', { type: 'number', describe: 'seed of the final evaluation (default: seed + 10000, unseen in training)' })
      .option('checkpoint-every', { type: 'number', describe: 'save a checkpoint every N steps (default: steps / 10)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'do not print a progress line per iteration' })
      .check((a) => {
        if (!Number.isInteger(a.steps) || a.steps < 1) throw new Error(`--steps must be a positive integer, got ${a.steps}`);
        if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${a.seed}`);
        if (!Number.isInteger(a['eval-episodes']) || a['eval-episodes'] < 0) throw new Error(`--eval-episodes must be a non-negative integer, got ${a['eval-episodes']}`);
        if (!BACKEND_OPTIONS.includes(a.backend as BackendOption)) throw new Error(`--backend must be one of ${BACKEND_OPTIONS.join(', ')}, got '${a.backend}'`);
        const every = a['checkpoint-every'];
        if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new Error(`--checkpoint-every must be a positive integer, got ${every}`);
        return true;
      }),
  handler: async (args) => {
    const envOptions = parseJsonObjectFlag('env-options', args['env-options']);
    const agentOptions = parseJsonObjectFlag('agent-options', args['agent-options']);
    const backend = await initBackend(args.backend as BackendOption);
    const env = make(args.env, envOptions);
    const agent = makeAgent(args.agent, env, agentOptions, { seed: args.seed, envId: args.env });
    const logger = (agent as { logger?: TrainingLogger }).logger;
    if (logger === undefined) throw new SchedlabError(`agent '${args.agent}' is not a learned agent; 'schedlab train' trains ppo, a2c, dqn or reinforce`);
    await mkdir(args.out, { recursive: true });
    (agent as { logger?: TrainingLogger }).logger = new TrainingLogger({ dir: args.out, print: args.quiet ? undefined : (l) => process.stderr.write(l + '\n') });
    const numEnvs = Number((agent.options as { numEnvs?: number }).numEnvs ?? 1);
    const vec = makeVec(args.env, numEnvs, { options: envOptions, autoresetMode: 'same-step' });
    const checkpointDir = join(args.out, 'checkpoint');
    const checkpoints = new CheckpointCallback(checkpointDir, args['checkpoint-every'] ?? Math.max(1, Math.floor(args.steps / 10)));
    const t0 = performance.now();
    let learned;
    try {
      learned = await agent.learn(vec as never, { totalSteps: args.steps, callbacks: [checkpoints] });
    } catch (e) {
      if (e instanceof NonFiniteLossError) {
        const kept = checkpoints.lastSaved !== undefined ? `the last good checkpoint (step ${checkpoints.lastSaved}) is in ${checkpointDir}` : 'no checkpoint was saved before it';
        throw new SchedlabError(`${e.message}; ${kept}`);
      }
      throw e;
    } finally {
      await vec.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    const evalSeed = args['eval-seed'] ?? args.seed + 10000;
    const evaluation = args['eval-episodes'] > 0 ? evaluate(env, agent, { episodes: args['eval-episodes'], seed: evalSeed, deterministic: true }) : undefined;
    env.close();
    const report = evaluation && { env: args.env, agent: args.agent, episodes: evaluation.episodes, seed: evaluation.seed, envOptions, agentOptions: agent.options, metrics: evaluation.metrics };
    if (report) await writeFile(join(args.out, 'evaluation.json'), JSON.stringify(report, null, 1) + '\n');
    const timings = (agent as { timings?: Record<string, number> }).timings;
    const summary = {
      env: args.env,
      envOptions,
      agent: args.agent,
      agentOptions: agent.options,
      seed: args.seed,
      steps: learned.steps,
      episodes: learned.episodes,
      stoppedEarly: learned.stoppedEarly,
      backend: backend.backend,
      device: backend.device,
      seconds,
      stepsPerSecond: learned.steps / seconds,
      timings,
      checkpoint: checkpointDir,
      finalEvaluation: report ? { episodes: report.episodes, seed: report.seed, return: report.metrics.return.mean } : null,
    };
    await writeFile(join(args.out, 'train.json'), JSON.stringify(summary, null, 1) + '\n');
    agent.dispose?.();
    process.stdout.write(`trained ${args.agent} on ${args.env}: ${learned.steps} steps in ${seconds.toFixed(1)} s (${Math.round(learned.steps / seconds)} steps/s, ${backend.backend} on ${backend.device}); written to ${args.out}\n`);
    if (report) process.stdout.write(formatEvaluation(report));
  },
};
