/** The train and evaluate command handlers called in-process, and a capture of what they print, for CLI tests. */
import { vi } from 'vitest';
import { evaluateCommand } from '../experiments/cli/evaluate.js';
import { trainCommand } from '../experiments/cli/train.js';

type Handler = (args: Record<string, unknown>) => Promise<void>;
// yargs types a handler by its parsed arguments; the tests pass them as a plain object.
export const train = trainCommand.handler as unknown as Handler;
export const evaluateCli = evaluateCommand.handler as unknown as Handler;

/** Captures stdout (returned) and silences stderr until vi.restoreAllMocks(). */
export function captureStdout(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => out };
}
