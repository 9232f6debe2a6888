/** Reads an experiment file (YAML or JSON, chosen by js-yaml, which reads both) and validates it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { InputFileError } from '../../core/errors.js';
import { canonicalJson, sha256 } from '../records/hash.js';
import { checkTableMetricsAtLoad } from '../tables/metric-probe.js';
import type { LoadedExperiment } from './types.js';
import { validateExperiment } from './validate.js';

export function loadExperiment(path: string): LoadedExperiment {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputFileError(
      path,
      undefined,
      undefined,
      `cannot read the experiment file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const loaded = parseExperiment(text, path);
  // Table metrics are checked against what each task's env reports (one probe episode per task).
  checkTableMetricsAtLoad(loaded.spec, path);
  return loaded;
}

/** Parses and validates experiment text; `file` names it in error messages. */
export function parseExperiment(text: string, file: string): LoadedExperiment {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: yaml.JSON_SCHEMA });
  } catch (e) {
    const err = e as yaml.YAMLException;
    throw new InputFileError(
      file,
      err.mark ? err.mark.line + 1 : undefined,
      undefined,
      `not valid YAML/JSON: ${err.reason ?? err.message}`,
    );
  }
  const spec = validateExperiment(raw, file);
  return { spec, file: resolve(file), hash: sha256(canonicalJson(raw)), raw };
}
