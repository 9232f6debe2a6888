/**
 * Errors a user can cause. Every one of them says what was wrong and what is accepted; the CLI prints
 * the message of a `SchedlabError` and exits with status 2 instead of showing a stack trace.
 */
export class SchedlabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An env, agent or experiment option with a wrong type or value. */
export class OptionError extends SchedlabError {
  constructor(
    readonly option: string,
    readonly problem: string,
    readonly accepted: string,
    readonly owner = '',
  ) {
    super(`${owner ? owner + ': ' : ''}option '${option}' ${problem}; accepted: ${accepted}`);
  }
}

/** An action outside the action space, or masked out where the env gives that no meaning. */
export class InvalidActionError extends SchedlabError {}

/** step() before reset(), or after the episode ended without a reset. */
export class ResetNeededError extends SchedlabError {}

/** An unknown env id, agent name or preset. */
export class UnknownNameError extends SchedlabError {}

/** A malformed input file: names the file, the line and the field. */
export class InputFileError extends SchedlabError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}${field ? ` (field ${field})` : ''}: ${problem}`);
  }
}
