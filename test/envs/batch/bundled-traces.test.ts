import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TRACES, loadTrace, packageRoot, resolveTracePath } from '../../../envs/batch/swf-reader.js';

/**
 * md5 of the bundled files as copied into data/traces/ (see data/traces/README.md). These hashes were
 * computed here from those copies: neither the Parallel Workloads Archive (HPC2N, NASA iPSC) nor
 * RLScheduler's repository (the Lublin files) publishes checksums, so they are not upstream figures. They
 * guard against a local change of the files (an edit, a line-ending conversion, a truncated copy), not
 * against a difference from upstream.
 */
const MD5: Record<string, string> = {
  'lublin-1': '332a32cb1108be21c9ef6d092de20511',
  'lublin-2': '4173434820ab0384f1f71cf0154fdbf7',
  hpc2n: 'cfe6a826b622cd95e24a0b772ce0a2c4',
  'nasa-ipsc': '9cbd1ddfae34a45b31a50c268c35ac02',
};

describe('bundled traces', () => {
  it('are the attributed files, byte for byte (md5)', () => {
    for (const [name, md5] of Object.entries(MD5)) {
      const path = resolveTracePath(name);
      expect(path).toBe(join(packageRoot(), 'data', 'traces', BUNDLED_TRACES[name]));
      expect(createHash('md5').update(readFileSync(path)).digest('hex')).toBe(md5);
    }
  });

  it('resolve against the package root, not the working directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir('/');
      expect(loadTrace('lublin-2').size).toBe(10000);
    } finally {
      process.chdir(cwd);
    }
  });

  it('load with the header machine sizes and are parsed once (cached)', () => {
    const l1 = loadTrace('lublin-1');
    expect([l1.size, l1.maxNodes, l1.maxProcs]).toEqual([10000, 256, 256]);
    expect(loadTrace('lublin-1')).toBe(l1);
    const nasa = loadTrace('nasa-ipsc');
    expect([nasa.maxNodes, nasa.maxProcs]).toEqual([128, 128]);
    expect(nasa.stats.droppedZeroRunTime).toBe(173);
    expect(nasa.size).toBe(18239 - 173);
  });
});
