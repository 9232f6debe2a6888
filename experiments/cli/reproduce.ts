import type { CommandModule } from 'yargs';
import { initBackend } from '../../agents/core/backend.js';
import { UnknownNameError } from '../../core/errors.js';
import { ensureWritableDir } from '../records/atomic.js';
import {
  COMPAT_HEURISTICS,
  RLSCHEDULER_HEURISTICS,
  RLSCHEDULER_TRACES,
  runRlschedulerProtocol,
  type ProtocolCell,
} from '../reproduce/rlscheduler-protocol.js';
import { policyColumn, runRlColumn } from '../reproduce/rlscheduler-rl.js';
import { cellsAsJson, writeTables } from '../reproduce/rlscheduler-tables.js';

interface ReproduceArgs {
  table: string;
  out: string;
  traces: string[];
  quiet: boolean;
  progress: boolean;
  rl: boolean;
  policy?: string;
  json: boolean;
}

const TABLES = ['rlscheduler-table'];

export const reproduceCommand: CommandModule<object, ReproduceArgs> = {
  command: 'reproduce <table>',
  describe: "regenerate a published table (rlscheduler-table: RLScheduler's heuristics and RL column × traces × backfilling)",
  builder: (y) =>
    y
      .positional('table', { type: 'string', demandOption: true, describe: `the table: ${TABLES.join(', ')}` })
      .option('out', {
        alias: 'results',
        type: 'string',
        default: 'results/rlscheduler-table',
        describe: 'folder for tables.md and tables.csv',
      })
      .option('traces', {
        type: 'string',
        array: true,
        default: Object.keys(RLSCHEDULER_TRACES),
        describe: 'bundled trace names or SWF paths',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines on stderr (also --no-progress)' })
      .option('progress', { type: 'boolean', default: true, hidden: true, describe: 'progress lines on stderr (--no-progress = --quiet)' })
      .option('rl', {
        type: 'boolean',
        default: true,
        describe: "the RL column from RLScheduler's shipped models (--no-rl: heuristics only)",
      })
      .option('policy', { type: 'string', describe: 'a checkpoint or export folder to put in the RL column instead of the shipped models' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print every cell as JSON: [{trace, backfill, metric, policy, value, published}]',
      }),
  handler: async (args) => {
    if (!TABLES.includes(args.table)) throw new UnknownNameError(`unknown table '${args.table}'. Known tables: ${TABLES.join(', ')}`);
    // Fail before the work, not after it, when --out cannot be written.
    ensureWritableDir(args.out, '--out');
    const quiet = args.quiet || !args.progress;
    const traces = args.traces.flatMap((t) => t.split(',')).filter((t) => t.length > 0);
    const cells = runRlschedulerProtocol({
      traces,
      heuristics: [...RLSCHEDULER_HEURISTICS, ...COMPAT_HEURISTICS],
      onCell: (c) => {
        if (!quiet)
          process.stderr.write(
            `${c.trace} ${c.backfill ? 'backfill' : 'no-backfill'} ${c.heuristic}: bsld ${c.mean.bsld.toFixed(2)}, utilization ${c.mean.utilization.toFixed(3)}\n`,
          );
      },
    });
    const onRl = (c: ProtocolCell) => {
      if (!quiet)
        process.stderr.write(
          `${c.trace} ${c.backfill ? 'backfill' : 'no-backfill'} RL: bsld ${c.mean.bsld.toFixed(2)}, RLScheduler utilization ${c.mean.rlschedulerUtilization.toFixed(3)}\n`,
        );
    };
    let rl: ProtocolCell[] = [];
    if (args.policy !== undefined) {
      await initBackend('auto', null);
      rl = await policyColumn(args.policy, { traces, onCell: onRl });
    } else if (args.rl) {
      await initBackend('auto', null);
      rl = runRlColumn({ traces, onCell: onRl });
    }
    const all = [...cells, ...rl];
    const written = writeTables(args.out, all, args.policy !== undefined ? `the policy in ${args.policy}` : undefined);
    if (args.json) process.stdout.write(JSON.stringify(cellsAsJson(all), null, 1) + '\n');
    else for (const path of written) process.stdout.write(`wrote ${path}\n`);
  },
};
