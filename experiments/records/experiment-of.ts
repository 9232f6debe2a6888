/** The experiment a results directory was made from, re-validated from its experiment.json. */
import { existsSync, readFileSync } from 'node:fs';
import { SchedlabError } from '../../core/errors.js';
import type { ExperimentSpec } from '../spec/types.js';
import { validateExperiment } from '../spec/validate.js';
import { resultsLayout } from './layout.js';

export function experimentOf(resultsDir: string): ExperimentSpec {
  const file = resultsLayout(resultsDir).experiment;
  if (!existsSync(file))
    throw new SchedlabError(
      `${resultsDir} is not a schedlab results directory (no experiment.json); run 'schedlab run <experiment>' first`,
    );
  return validateExperiment(JSON.parse(readFileSync(file, 'utf8')), file);
}
