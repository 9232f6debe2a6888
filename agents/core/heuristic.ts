/**
 * Base class for heuristic agents: nothing to learn; `save`/`load` keep the options so a heuristic
 * can stand wherever a checkpoint is expected.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputFileError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import type { VectorEnv } from '../../envs/core/vector/types.js';
import type { ActOptions, Agent, LearnOptions, LearnResult } from './agent.js';

export abstract class HeuristicAgent<Obs = any, Act = any> implements Agent<Obs, Act> {
  constructor(
    readonly name: string,
    readonly options: Record<string, unknown> = {},
  ) {}

  abstract act(observation: Obs, options?: ActOptions): Act;

  async learn(_env: Env<Obs, Act> | VectorEnv, options: LearnOptions): Promise<LearnResult> {
    void options;
    return { steps: 0, episodes: 0, stoppedEarly: false };
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'agent.json'), JSON.stringify({ agent: this.name, options: this.options }, null, 2) + '\n');
  }

  async load(dir: string): Promise<void> {
    const file = join(dir, 'agent.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { agent?: string };
    if (saved.agent !== this.name) throw new InputFileError(file, undefined, 'agent', `holds agent '${saved.agent}', not '${this.name}'`);
  }
}
