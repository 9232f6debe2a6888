/** Every `schedlab` command, one module each. */
import type { CommandModule } from 'yargs';
import { checkEnvCommand } from './check-env.js';
import { envsCommand } from './envs.js';
import { evaluateCommand } from './evaluate.js';
import { exportCommand } from './export.js';
import { plotCommand } from './plot.js';
import { reproduceCommand } from './reproduce.js';
import { runCommand } from './run.js';
import { slurmCommand } from './slurm.js';
import { startCommand } from './start.js';
import { tableCommand } from './table.js';
import { trainCommand } from './train.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [envsCommand, checkEnvCommand, evaluateCommand, trainCommand, exportCommand, runCommand, tableCommand, plotCommand, slurmCommand, startCommand, reproduceCommand];
