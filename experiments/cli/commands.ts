/** Every `schedlab` command, one module each. */
import type { CommandModule } from 'yargs';
import { envsCommand } from './envs.js';
import { evaluateCommand } from './evaluate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [envsCommand, evaluateCommand];
