/**
 * `schedlab train --env ID [--env-options JSON] --agent NAME [--agent-options JSON] --steps N --seed S
 * --out DIR [--backend auto|tensorflow|wasm|cpu] [--resume | --force]`: trains a learned agent (through
 * `runOne`, as the experiment runner does) and writes into DIR
 * - `checkpoint/` (weights, optimizer, RNG and normalisation state; reloaded by `schedlab evaluate
 *   --checkpoint DIR/checkpoint`), saved every --checkpoint-every steps and at the end;
 * - `progress.csv` / `progress.jsonl` (the learning curve, CleanRL's metric names);
 * - `evaluation.json` (the final evaluation, in `schedlab evaluate --json`'s shape);
 * - `train.json` (what ran: env, agent, options after defaults, seed, steps, backend/device, timings;
 *   while training, what is running and the command that resumes it).
 *
 * A DIR that already holds a run is refused unless `--resume` (continue it from its last checkpoint: the
 * same command, the progress log continued) or `--force` (start afresh, replacing it). Ctrl-C (SIGINT or
 * SIGTERM) stops training after the current iteration, saves the checkpoint and says how to resume; a
 * second Ctrl-C exits at once, keeping the last checkpoint saved.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { CommandModule } from 'yargs';
import type { Callback } from '../../agents/core/agent.js';
import { BACKEND_OPTIONS, type BackendOption } from '../../agents/core/backend.js';
import { CHECKPOINT_FILE, readCheckpointMeta } from '../../agents/core/checkpoint.js';
import { TrainingLogger, type LogRow } from '../../agents/core/logger.js';
import { SchedlabError } from '../../core/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../records/atomic.js';
import { canonicalJson } from '../records/hash.js';
import { runOne } from '../run/run-one.js';
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
  progress: boolean;
  resume?: boolean;
  force?: boolean;
}

/** The files of a training run in its --out folder. */
const files = (out: string) => ({
  checkpoint: join(out, 'checkpoint'),
  csv: join(out, 'progress.csv'),
  jsonl: join(out, 'progress.jsonl'),
  evaluation: join(out, 'evaluation.json'),
  summary: join(out, 'train.json'),
});

/** What identifies a training run: a resume must match it. */
interface TrainIdentity {
  env: string;
  envOptions: Record<string, unknown>;
  agent: string;
  agentOptions: Record<string, unknown>;
  seed: number;
  steps: number;
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
      .option('steps', { type: 'number', demandOption: true, describe: 'environment steps to train for (in all, when resuming)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the network, the sampling and the env resets' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('backend', { type: 'string', default: 'auto', describe: `TensorFlow.js backend: ${BACKEND_OPTIONS.join(' | ')}` })
      .option('eval-episodes', { type: 'number', default: 10, describe: 'episodes of the final deterministic evaluation' })
      .option('eval-seed', { type: 'number', describe: 'seed of the final evaluation (default: seed + 10000, unseen in training)' })
      .option('checkpoint-every', { type: 'number', describe: 'save a checkpoint every N steps (default: steps / 10)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress line per iteration on stderr (also --no-progress)' })
      .option('progress', {
        type: 'boolean',
        default: true,
        hidden: true,
        describe: 'a progress line per iteration (--no-progress = --quiet)',
      })
      .option('resume', {
        type: 'boolean',
        default: false,
        describe: 'continue the run in --out from its last checkpoint (same command otherwise)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'replace the run already in --out, starting afresh' })
      .check((a) => {
        if (!Number.isInteger(a.steps) || a.steps < 1) throw new Error(`--steps must be a positive integer, got ${a.steps}`);
        if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${a.seed}`);
        if (!Number.isInteger(a['eval-episodes']) || a['eval-episodes'] < 0)
          throw new Error(`--eval-episodes must be a non-negative integer, got ${a['eval-episodes']}`);
        if (!BACKEND_OPTIONS.includes(a.backend as BackendOption))
          throw new Error(`--backend must be one of ${BACKEND_OPTIONS.join(', ')}, got '${a.backend}'`);
        const every = a['checkpoint-every'];
        if (every !== undefined && (!Number.isInteger(every) || every < 1))
          throw new Error(`--checkpoint-every must be a positive integer, got ${every}`);
        if (a.resume && a.force)
          throw new Error('--resume and --force exclude each other: --resume continues the run in --out, --force replaces it');
        return true;
      }),
  handler: async (args) => {
    const envOptions = parseJsonObjectFlag('env-options', args['env-options']);
    const agentOptions = parseJsonObjectFlag('agent-options', args['agent-options']);
    const f = files(args.out);
    const identity: TrainIdentity = { env: args.env, envOptions, agent: args.agent, agentOptions, seed: args.seed, steps: args.steps };
    const resumeCommand = commandLine(args);
    const resume = prepareOut(args, f, identity);

    // Ctrl-C: the first signal stops training after the current iteration (then the checkpoint is saved);
    // a second one exits at once, keeping the last checkpoint saved.
    let interrupted: NodeJS.Signals | undefined;
    let lastSaved: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) {
        process.stderr.write(
          `\nschedlab: ${signal} again: stopped at once. ${savedNote(f.checkpoint, lastSaved)} Continue with:\n  ${resumeCommand}\n`,
        );
        process.exit(130);
      }
      interrupted = signal;
      process.stderr.write(
        `\nschedlab: ${signal}: stopping after the current iteration and saving the checkpoint (again to stop at once)\n`,
      );
    };
    const stop: Callback = {
      onRolloutEnd: () => (interrupted ? false : undefined),
    };
    const tracker: Callback = {
      onRolloutEnd: async () => {
        lastSaved = await savedStep(f.checkpoint);
      },
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const print = args.quiet || args.progress === false ? undefined : (l: string) => process.stderr.write(l + '\n');
    const progress = resume ? continueProgress(f, resume.step, print) : undefined;
    // Written once the agent is built (a mistake in the command leaves --out as it was).
    const logger = () => {
      writeJsonAtomic(f.summary, { ...identity, status: 'training', resume: resumeCommand });
      return progress?.logger ?? new TrainingLogger({ dir: args.out, print });
    };
    let record;
    try {
      record = await runOne({
        env: { id: args.env, options: envOptions },
        agent: { name: args.agent, options: agentOptions },
        seed: args.seed,
        totalSteps: args.steps,
        evaluation: { episodes: args['eval-episodes'], seed: args['eval-seed'] ?? args.seed + 10000, deterministic: true },
        checkpoint: { dir: f.checkpoint, everySteps: args['checkpoint-every'] ?? Math.max(1, Math.floor(args.steps / 10)) },
        resume: resume !== undefined,
        backend: { option: args.backend as BackendOption, announce: true },
        logger,
        callbacks: [...(progress ? [progress.callback] : []), tracker, stop],
      });
    } finally {
      progress?.flush();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const steps = (record.resumedFrom ?? 0) + (record.learned?.steps ?? 0);
    if (interrupted) {
      process.stderr.write(
        `schedlab: interrupted (${interrupted}) at step ${steps} of ${args.steps}. ${savedNote(f.checkpoint, steps)} Continue with:\n  ${resumeCommand}\n`,
      );
      process.exitCode = 130;
      return;
    }
    const evaluation = record.evaluation;
    const report = evaluation && {
      env: args.env,
      agent: args.agent,
      episodes: evaluation.episodes,
      seed: evaluation.seed,
      envOptions,
      agentOptions: record.agentOptions,
      metrics: evaluation.metrics,
    };
    if (report) writeFileSync(f.evaluation, JSON.stringify(report, null, 1) + '\n');
    const seconds = record.learnSeconds;
    const summary = {
      env: args.env,
      envOptions,
      agent: args.agent,
      agentOptions: record.agentOptions,
      seed: args.seed,
      steps,
      ...(resume ? { resumedFrom: resume.step } : {}),
      episodes: record.learned?.episodes ?? 0,
      stoppedEarly: record.learned?.stoppedEarly ?? false,
      backend: record.backend?.backend,
      device: record.backend?.device,
      seconds,
      stepsPerSecond: (record.learned?.steps ?? 0) / seconds,
      timings: record.timings,
      checkpoint: f.checkpoint,
      finalEvaluation: report ? { episodes: report.episodes, seed: report.seed, return: report.metrics.return.mean } : null,
    };
    writeFileSync(f.summary, JSON.stringify(summary, null, 1) + '\n');
    const trained = record.learned?.steps ?? 0;
    process.stdout.write(
      `trained ${args.agent} on ${args.env}: ${trained} steps${resume ? ` (from step ${resume.step} to ${steps})` : ''} in ${seconds.toFixed(1)} s (${Math.round(trained / seconds)} steps/s, ${record.backend?.backend} on ${record.backend?.device}); written to ${args.out}\n`,
    );
    if (report) process.stdout.write(formatEvaluation(report));
  },
};

/** The command that resumes this run. */
function commandLine(args: TrainArgs): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['schedlab train', `--env ${q(args.env)}`];
  if (args['env-options']) parts.push(`--env-options ${q(args['env-options'])}`);
  parts.push(`--agent ${q(args.agent)}`);
  if (args['agent-options']) parts.push(`--agent-options ${q(args['agent-options'])}`);
  parts.push(`--steps ${args.steps}`, `--seed ${args.seed}`, `--out ${q(args.out)}`);
  if (args['checkpoint-every'] !== undefined) parts.push(`--checkpoint-every ${args['checkpoint-every']}`);
  if (args['eval-episodes'] !== 10) parts.push(`--eval-episodes ${args['eval-episodes']}`);
  if (args['eval-seed'] !== undefined) parts.push(`--eval-seed ${args['eval-seed']}`);
  if (args.backend !== 'auto') parts.push(`--backend ${args.backend}`);
  return [...parts, '--resume'].join(' ');
}

async function savedStep(checkpointDir: string): Promise<number | undefined> {
  if (!existsSync(join(checkpointDir, CHECKPOINT_FILE))) return undefined;
  return (await readCheckpointMeta(checkpointDir)).counters.globalStep;
}

function savedNote(checkpointDir: string, step: number | undefined): string {
  return step === undefined ? 'No checkpoint was saved yet.' : `The checkpoint of step ${step} is saved in ${checkpointDir}.`;
}

/**
 * Checks --out against --resume / --force. A folder holding a run is refused without either; --force
 * removes the run's files (and nothing else); --resume checks that the command is the run's and returns
 * the step of its checkpoint.
 */
function prepareOut(args: TrainArgs, f: ReturnType<typeof files>, identity: TrainIdentity): { step: number } | undefined {
  const present = [f.checkpoint, f.csv, f.jsonl, f.evaluation, f.summary].filter((p) => existsSync(p));
  if (args.resume) {
    if (!existsSync(join(f.checkpoint, CHECKPOINT_FILE))) {
      throw new SchedlabError(
        `--resume: ${args.out} holds no checkpoint to continue from (${join(f.checkpoint, CHECKPOINT_FILE)} is missing); run without --resume to start`,
      );
    }
    let recorded: Partial<TrainIdentity> = {};
    try {
      recorded = JSON.parse(readFileSync(f.summary, 'utf8')) as Partial<TrainIdentity>;
    } catch {
      throw new SchedlabError(
        `--resume: ${f.summary} is missing or unreadable, so the run's settings are unknown; start afresh with --force`,
      );
    }
    const mismatch = (key: string, before: unknown, given: unknown) =>
      new SchedlabError(
        `--resume: the run in ${args.out} was started with ${key} ${JSON.stringify(before)}, not ${JSON.stringify(given)}; resume it with the same command, or start afresh with --force`,
      );
    for (const key of ['env', 'envOptions', 'agent', 'seed'] as const) {
      if (recorded[key] !== undefined && canonicalJson(recorded[key]) !== canonicalJson(identity[key]))
        throw mismatch(`--${key === 'envOptions' ? 'env-options' : key}`, recorded[key], identity[key]);
    }
    // While training, train.json holds the options as given; a finished run's, the options after defaults.
    const before = recorded.agentOptions ?? {};
    const given = identity.agentOptions;
    const raw = (recorded as { status?: string }).status === 'training';
    const same =
      Object.entries(given).every(([k, v]) => canonicalJson(before[k]) === canonicalJson(v)) &&
      (!raw || Object.keys(before).every((k) => k in given));
    if (!same) throw mismatch('--agent-options', before, given);
    return {
      step: (JSON.parse(readFileSync(join(f.checkpoint, CHECKPOINT_FILE), 'utf8')) as { counters: { globalStep: number } }).counters
        .globalStep,
    };
  }
  if (present.length === 0) return undefined;
  if (!args.force) {
    throw new SchedlabError(
      `--out ${args.out} already holds a training run (${present.map((p) => p.slice(args.out.length).replace(/^[\\/]/, '')).join(', ')}); continue it with --resume, or replace it with --force`,
    );
  }
  for (const p of present) rmSync(p, { recursive: true, force: true });
  return undefined;
}

/**
 * The progress log of a resumed run: the rows the checkpoint covers are kept (later ones, logged after
 * the last checkpoint, are dropped: the resumed run logs them again), and new rows are appended with the
 * same columns as the log's header.
 */
function continueProgress(f: ReturnType<typeof files>, step: number, print?: (line: string) => void) {
  const csvLines = existsSync(f.csv)
    ? readFileSync(f.csv, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
  const columns = csvLines[0]?.split(',');
  const kept = csvLines.slice(1).filter((l) => Number(l.split(',')[0]) <= step);
  if (columns) writeFileAtomic(f.csv, [csvLines[0], ...kept].map((l) => l + '\n').join(''));
  const jsonl = existsSync(f.jsonl)
    ? readFileSync(f.jsonl, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
  writeFileAtomic(
    f.jsonl,
    jsonl
      .filter((l) => (JSON.parse(l) as LogRow).global_step <= step)
      .map((l) => l + '\n')
      .join(''),
  );
  const logger = new TrainingLogger({ ...(columns ? { columns: columns.slice(1) } : {}), print });
  let written = 0;
  let header = columns;
  const flush = () => {
    const rows = logger.rows.slice(written);
    written = logger.rows.length;
    if (!rows.length) return;
    header ??= ['global_step', ...Object.keys(rows[0]).filter((k) => k !== 'global_step')];
    if (!existsSync(f.csv)) writeFileSync(f.csv, stringify([header]));
    const cols = header;
    writeFileSync(f.csv, stringify(rows.map((row) => cols.map((c) => (row[c] === undefined || Number.isNaN(row[c]) ? '' : row[c])))), {
      flag: 'a',
    });
    writeFileSync(
      f.jsonl,
      rows.map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n').join(''),
      { flag: 'a' },
    );
  };
  const callback: Callback = { onRolloutEnd: () => flush(), onTrainingEnd: () => flush() };
  return { logger, callback, flush };
}
