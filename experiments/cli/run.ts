import type { CommandModule } from 'yargs';
import { Interrupted } from '../pool/pool.js';
import { isFinished } from '../records/run-dir.js';
import { reevaluateRuns } from '../run/reevaluate.js';
import { parseShard } from '../run/shard.js';
import { planSweep, runSweep } from '../run/sweep.js';
import { checkAgentOptions } from '../spec/check-names.js';
import { formatSweepValue } from '../tables/format-number.js';
import { writeTables } from '../tables/write.js';

interface RunArgs {
  experiment: string;
  workers?: number;
  shard?: string;
  'dry-run': boolean;
  out?: string;
  table: boolean;
  plot: boolean;
  progress: boolean;
  quiet: boolean;
  'run-timeout'?: number;
  reevaluate: boolean;
  agents?: string[];
  tasks?: string[];
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <experiment>',
  describe: 'run every (config, seed) of an experiment file in a pool of worker processes; rerun to resume',
  builder: (y) =>
    y
      .positional('experiment', { type: 'string', demandOption: true, describe: 'experiment file (YAML or JSON)' })
      .option('workers', { type: 'number', describe: 'worker processes (default: one per core; 0 = in this process)' })
      .option('shard', { type: 'string', describe: 'run only shard i of n (i/n, 0 <= i < n): runs whose index is i mod n' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'list the runs and exit' })
      .option('out', { alias: 'results', type: 'string', describe: 'results directory (default: results/<experiment name>)' })
      .option('table', { type: 'boolean', default: true, describe: 'write the tables at the end (--no-table to skip)' })
      .option('plot', { type: 'boolean', default: false, describe: 'also write the figures and report.html at the end' })
      .option('run-timeout', { type: 'number', describe: 'seconds after which a run is stopped and recorded as failed (default: none)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar on stderr (also --no-progress)' })
      .option('progress', {
        type: 'boolean',
        default: true,
        hidden: true,
        describe: 'the progress bar on stderr (--no-progress = --quiet)',
      })
      .option('reevaluate', {
        type: 'boolean',
        default: false,
        describe: 'evaluate the finished runs again from their checkpoints (no training) and rewrite their evaluation.json',
      })
      .option('agents', { type: 'string', array: true, describe: 'with --reevaluate: only the runs of this agent label (repeat for more)' })
      .option('tasks', { type: 'string', array: true, describe: 'with --reevaluate: only the runs of this task label (repeat for more)' })
      .check((a) => {
        if (a['run-timeout'] !== undefined && !(a['run-timeout'] > 0))
          throw new Error(`--run-timeout must be a positive number of seconds, got ${a['run-timeout']}`);
        if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0))
          throw new Error(`--workers must be a non-negative integer, got ${a.workers}`);
        if ((a.agents !== undefined || a.tasks !== undefined) && !a.reevaluate)
          throw new Error('--agents and --tasks select the runs of --reevaluate; add --reevaluate');
        return true;
      }),
  handler: async (args) => {
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const options = {
      resultsDir: args.out,
      workers: args.workers,
      shard,
      progress: args.progress && !args.quiet,
      runTimeoutSeconds: args['run-timeout'],
    };
    if (args['dry-run']) {
      const plan = planSweep(args.experiment, options);
      await checkAgentOptions(plan.runs, plan.experiment.file);
      for (const r of plan.mine) {
        const sweep = Object.entries(r.sweep)
          .map(([k, v]) => `${k}=${formatSweepValue(v)}`)
          .join(' ');
        const state = isFinished(plan.resultsDir, r.id) ? 'finished' : 'pending';
        process.stdout.write(
          `${String(r.index).padStart(4)}  ${r.id}  ${state.padEnd(8)}  ${r.task} / ${r.agent}  seed ${r.seed} (eval ${r.evalSeed})${sweep ? '  ' + sweep : ''}\n`,
        );
      }
      process.stdout.write(
        `${plan.runs.length} runs${shard ? `, ${plan.mine.length} in shard ${shard.index}/${shard.count}` : ''}; results: ${plan.resultsDir}\n`,
      );
      return;
    }
    if (args.reevaluate) {
      const plan = planSweep(args.experiment, options);
      const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(6));
      const { done, skipped } = await reevaluateRuns(plan, { agents: args.agents, tasks: args.tasks }, ({ run, before, after }) => {
        const metrics = Object.keys(after.metrics).filter((m) => m !== 'length');
        const changes = metrics
          .map((m) => `${m} ${before.metrics[m] ? fmt(before.metrics[m].mean) : '-'} -> ${fmt(after.metrics[m].mean)}`)
          .join(', ');
        process.stderr.write(
          `  ${run.id} (${run.task} / ${run.agent}, seed ${run.seed}, eval seed ${run.evalSeed}${run.config.evaluation.deterministic ? '' : ', sampled'}): ${changes}\n`,
        );
      });
      process.stderr.write(
        `schedlab: re-evaluated ${done.length} finished runs from their checkpoints${skipped.length ? `; ${skipped.length} not finished, left alone` : ''}\n`,
      );
      if (args.table && !shard) {
        const { files } = writeTables(plan.resultsDir);
        process.stderr.write(`schedlab: tables: ${files.filter((f) => !f.endsWith('timing.csv')).join(', ')}\n`);
      }
      process.stdout.write(`${plan.resultsDir}\n`);
      return;
    }
    let summary;
    try {
      summary = await runSweep(args.experiment, options);
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      const again = ['schedlab', ...process.argv.slice(2)].join(' ');
      process.stderr.write(
        `\nschedlab: interrupted (${e.signal}): the workers were stopped; ${e.outcomes.length} runs were completed and saved by this process in ${planSweep(args.experiment, options).resultsDir}, and learned runs in progress continue from their last checkpoint (every tenth of their budget) when you resume with:\n  ${again}\n(finished runs are skipped)\n`,
      );
      process.exitCode = 130;
      return;
    }
    const failed = summary.outcomes.filter((o) => !o.ok);
    const done = summary.outcomes.length - failed.length;
    const elsewhere = summary.elsewhere ? `, ${summary.elsewhere} run by another process` : '';
    process.stderr.write(
      `schedlab: ${done} runs done, ${failed.length} failed, ${summary.skipped} already finished${elsewhere} (of ${summary.mine.length}${shard ? ` in shard ${shard.index}/${shard.count}` : ''})\n`,
    );
    for (const f of failed.slice(0, 10)) {
      const run = summary.mine.find((r) => r.id === f.id)!;
      process.stderr.write(`  failed ${f.id} (${run.task} / ${run.agent}, seed ${run.seed}): ${f.error}\n`);
    }
    if (failed.length > 10) process.stderr.write(`  ... and ${failed.length - 10} more (see runs/<id>/error.json)\n`);
    // A shard holds part of the runs: its tables would be partial, so the merged table is written after all shards.
    if (args.table && !shard) {
      const { files } = writeTables(summary.resultsDir);
      process.stderr.write(`schedlab: tables: ${files.filter((f) => !f.endsWith('timing.csv')).join(', ')}\n`);
    }
    if (args.plot && !shard) {
      const { report } = await (await import('../figures/write.js')).writePlots(summary.resultsDir);
      process.stderr.write(`schedlab: report: ${report}\n`);
    }
    process.stdout.write(`${summary.resultsDir}\n`);
    if (failed.length) process.exitCode = 1;
  },
};
