import { SchedlabError } from '../../core/errors.js';

/** Parses a JSON-object flag such as `--env-options`, naming the flag when it is malformed. */
export function parseJsonObjectFlag(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SchedlabError(
      `--${flag} is not valid JSON (${(e as Error).message}); expected an object such as '{"preset": "deeprm-train"}'`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SchedlabError(`--${flag} must be a JSON object, got ${text}`);
  }
  return value as Record<string, unknown>;
}
