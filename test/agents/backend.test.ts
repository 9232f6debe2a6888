/**
 * `initBackend('tensorflow')` without a loadable tfjs-node: refused with a clear error. The optional
 * @tensorflow/tfjs-node-gpu installs on some machines (CUDA present), so both native packages are mocked
 * here to fail as they do where they are missing: the test holds on every machine, and it checks that the
 * mocks were the ones imported.
 */
import { describe, expect, test, vi } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';

const imported = vi.hoisted(() => [] as string[]);

vi.mock('@tensorflow/tfjs-node-gpu', () => {
  imported.push('@tensorflow/tfjs-node-gpu');
  throw new Error('mocked: @tensorflow/tfjs-node-gpu cannot load here');
});
vi.mock('@tensorflow/tfjs-node', () => {
  imported.push('@tensorflow/tfjs-node');
  throw new Error('mocked: @tensorflow/tfjs-node cannot load here');
});

describe('backend selection without tfjs-node', () => {
  test("'tensorflow' is refused with a clear error; 'auto' falls back to wasm; unknown names are rejected", async () => {
    await expect(initBackend('tensorflow', null)).rejects.toThrow(
      "option 'backend' is 'tensorflow' but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node can be loaded here; accepted: 'auto', 'wasm' or 'cpu'",
    );
    expect(imported).toEqual(expect.arrayContaining(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']));
    const auto = await initBackend('auto', null);
    expect(auto.backend).toBe('wasm');
    // @ts-expect-error -- not a BackendOption: from the command line or JSON it must be refused, naming the accepted ones
    await expect(initBackend('gpu', null)).rejects.toThrow(/option 'backend'.*'auto' \| 'tensorflow' \| 'wasm' \| 'cpu'/);
  });
});
