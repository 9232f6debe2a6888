import type { CommandModule } from 'yargs';
import { UnknownNameError } from '../../core/errors.js';
import { ensureWritableDir } from '../records/atomic.js';
import { COMPAT_HEURISTICS, RLSCHEDULER_HEURISTICS, RLSCHEDULER_TRACES, runRlschedulerProtocol } from '../reproduce/rlscheduler-protocol.js';
import { writeTables } from '../reproduce/rlscheduler-tables.js';

interface ReproduceArgs {
  table: string;
  out: string;
  traces: string[];
  quiet: boolean;
  progress: boolean;
}

const TABLES = ['rlscheduler-table'];

export const reproduceCommand: CommandModule<object, ReproduceArgs> = {
  command: 'reproduce <table>',
  describe: 'regenerate a published table (rlscheduler-table: RLScheduler heuristics × traces × backfilling)',
  builder: (y) =>
    y
      .positional('table', { type: 'string', demandOption: true, describe: `the table: ${TABLES.join(', ')}` })
      .option('out', { alias: 'results', type: 'string', default: 'results/rlscheduler-table', describe: 'folder for tables.md and tables.csv' })
      .option('traces', { type: 'string', array: true, default: Object.keys(RLSCHEDULER_TRACES), describe: 'bundled trace names or SWF paths' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines on stderr (also --no-progress)' })
      .option('progress', { type: 'boolean', default: true, hidden: true, describe: 'progress lines on stderr (--no-progress = --quiet)' }),
  handler: (args) => {
    if (!TABLES.includes(args.table)) throw new UnknownNameError(`unknown table '${args.table}'. Known tables: ${TABLES.join(', ')}`);
    // Fail before the work, not after it, when --out cannot be written.
    ensureWritableDir(args.out, '--out');
    const quiet = args.quiet || !args.progress;
    const traces = args.traces.flatMap((t) => t.split(',')).filter((t) => t.length > 0);
    const cells = runRlschedulerProtocol({
      traces,
      heuristics: [...RLSCHEDULER_HEURISTICS, ...COMPAT_HEURISTICS],
      onCell: (c) => {
        if (!quiet) process.stderr.write(`${c.trace} ${c.backfill ? 'backfill' : 'no-backfill'} ${c.heuristic}: bsld ${c.mean.bsld.toFixed(2)}, utilization ${c.mean.utilization.toFixed(3)}\n`);
      },
    });
    for (const path of writeTables(args.out, cells)) process.stdout.write(`wrote ${path}\n`);
  },
};
