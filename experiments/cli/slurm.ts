import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { ensureWritableDir, writeFileAtomic } from '../records/atomic.js';
import { resultsLayout } from '../records/layout.js';
import { initResultsDir, planSweep } from '../run/sweep.js';
import { arrayScript, finishScript, type SlurmScriptOptions } from '../slurm/script.js';
import { submitSweep } from '../slurm/submit.js';

interface SlurmArgs {
  experiment: string;
  shards?: number;
  'array-parallelism'?: number;
  partition?: string;
  time?: string;
  'cpus-per-task': number;
  out?: string;
  submit: boolean;
  wait: boolean;
}

const positiveInt = (name: string, v: number | undefined) => {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`--${name} must be a positive integer, got ${v}`);
};

export const slurmCommand: CommandModule<object, SlurmArgs> = {
  command: 'slurm <experiment>',
  describe: 'write (and with --submit, submit) one sbatch job array running the sweep shard by shard, plus a job writing the tables',
  builder: (y) =>
    y
      .positional('experiment', { type: 'string', demandOption: true, describe: 'experiment file (YAML or JSON)' })
      .option('shards', { type: 'number', describe: 'array tasks n; task i runs shard i/n (default: one per run, at most 100)' })
      .option('array-parallelism', { type: 'number', describe: 'at most K array tasks at once (%K)' })
      .option('partition', { type: 'string', describe: 'Slurm partition' })
      .option('time', { type: 'string', describe: 'time limit per array task, e.g. 02:00:00' })
      .option('cpus-per-task', { type: 'number', default: 1, describe: 'CPUs per array task (= worker processes)' })
      .option('out', {
        alias: 'results',
        type: 'string',
        describe: 'results directory on a shared filesystem (default: results/<experiment name>)',
      })
      .option('submit', { type: 'boolean', default: false, describe: 'submit with sbatch (otherwise only write the scripts)' })
      .option('wait', { type: 'boolean', default: false, describe: 'with --submit: return when the tables are written' })
      .check((a) => {
        positiveInt('shards', a.shards);
        positiveInt('array-parallelism', a['array-parallelism']);
        positiveInt('cpus-per-task', a['cpus-per-task']);
        return true;
      }),
  handler: async ({ experiment, shards, out, submit, wait, ...args }) => {
    const plan = planSweep(experiment, { resultsDir: out });
    ensureWritableDir(plan.resultsDir, '--out');
    await initResultsDir(plan);
    const slurmDir = resultsLayout(plan.resultsDir).slurm;
    mkdirSync(slurmDir, { recursive: true });
    // The tasks read a copy, so editing the file while jobs wait in the queue cannot mix two experiments.
    const copy = join(slurmDir, 'experiment' + (/\.json$/i.test(experiment) ? '.json' : '.yaml'));
    copyFileSync(experiment, copy);
    const options: SlurmScriptOptions = {
      name: plan.experiment.spec.name,
      experiment: copy,
      resultsDir: plan.resultsDir,
      workdir: resolve('.'),
      node: process.execPath,
      main: fileURLToPath(new URL('./main.js', import.meta.url)),
      shards: Math.min(shards ?? Math.min(plan.runs.length, 100), plan.runs.length),
      arrayParallelism: args['array-parallelism'],
      partition: args.partition,
      time: args.time,
      cpusPerTask: args['cpus-per-task'],
    };
    const arrayFile = join(slurmDir, 'array.sbatch');
    const finishFile = join(slurmDir, 'report.sbatch');
    writeFileAtomic(arrayFile, arrayScript(options));
    writeFileAtomic(finishFile, finishScript(options));
    process.stderr.write(`schedlab: ${plan.runs.length} runs in ${options.shards} array tasks; scripts ${arrayFile}, ${finishFile}\n`);
    if (!submit) {
      process.stderr.write(
        `schedlab: submit with: jid=$(sbatch --parsable ${arrayFile}) && sbatch --dependency=afterany:$jid ${finishFile}\n`,
      );
      return;
    }
    const { arrayJob, finishJob } = await submitSweep(arrayFile, finishFile, slurmDir, { wait });
    process.stderr.write(
      `schedlab: submitted array job ${arrayJob} and report job ${finishJob}${wait ? ' (finished)' : ''}; results in ${plan.resultsDir}\n`,
    );
    process.stdout.write(`${arrayJob} ${finishJob}\n`);
  },
};
