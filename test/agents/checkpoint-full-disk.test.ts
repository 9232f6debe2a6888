/**
 * A checkpoint save that fails mid-write (a full disk) leaves no partial temporary file in the checkpoint
 * folder, and the checkpoint saved before stays whole and loadable. The disk is simulated: writeFile of a
 * temporary file writes a few bytes and then fails with ENOSPC, as a real full disk does.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { make } from '../../envs/index.js';

const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile = async (file: string, data: string | Uint8Array): Promise<void> => {
    if (disk.full && String(file).includes('.tmp-')) {
      await real.writeFile(file, data.slice(0, 8));
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', syscall: 'write' });
    }
    return real.writeFile(file, data);
  };
  return { ...real, writeFile, default: { ...real, writeFile } };
});

describe('a checkpoint save on a full disk', () => {
  it('fails with ENOSPC, leaves no temporary file, and the previous checkpoint still loads', async () => {
    await initBackend('wasm', null);
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-ckpt-'));
    const env = make('CartPole-v1');
    const agent = new PPO(env.observationSpace, env.actionSpace, { numEnvs: 1, numSteps: 32, numMinibatches: 1 }, { seed: 0 });
    await agent.learn(env, { totalSteps: 32 });
    await agent.save(dir);
    const before = readdirSync(dir).sort();
    await agent.learn(env, { totalSteps: 32 });
    disk.full = true;
    try {
      await expect(agent.save(dir)).rejects.toThrow(/ENOSPC/);
    } finally {
      disk.full = false;
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
    const reloaded = new PPO(env.observationSpace, env.actionSpace, { numEnvs: 1, numSteps: 32, numMinibatches: 1 }, { seed: 0 });
    await reloaded.load(dir);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    agent.dispose();
    reloaded.dispose();
    env.close();
  });
});
