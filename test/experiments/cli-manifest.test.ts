/** manifest.json names files relative to the project, never by an absolute path (it is committed with results). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, packageRoot, projectRelative } from '../../experiments/records/manifest.js';
import { loadExperiment } from '../../experiments/spec/load.js';
import { tempDir, writeExperiment } from './helpers.js';

describe('manifest.json', () => {
  it('records the experiment file relative to the project root, and no absolute path at all', async () => {
    const manifest = await buildManifest(loadExperiment(join(packageRoot(), 'experiments', 'quickstart.yaml')), 1);
    expect(manifest.experiment.file).toBe('experiments/quickstart.yaml');
    expect(JSON.stringify(manifest)).not.toContain(packageRoot());
  });

  it('a file outside the project gets a relative ../ path', async () => {
    const file = writeExperiment(tempDir(), {});
    const manifest = await buildManifest(loadExperiment(file), 1);
    expect(manifest.experiment.file).toBe(projectRelative(file));
    expect(manifest.experiment.file.startsWith('/')).toBe(false);
    expect(manifest.experiment.file.endsWith('/exp.yaml')).toBe(true);
  });

  it('the committed results hold no absolute path: every manifest names its experiment file relative to the project', () => {
    const results = join(packageRoot(), 'results');
    const manifests = readdirSync(results)
      .map((d) => join(results, d, 'manifest.json'))
      .filter((f) => existsSync(f));
    expect(manifests.length).toBeGreaterThan(0);
    for (const f of manifests) {
      const text = readFileSync(f, 'utf8');
      const manifest = JSON.parse(text) as { experiment: { file: string } };
      expect(existsSync(join(packageRoot(), manifest.experiment.file)), f).toBe(true);
      // No string value anywhere is an absolute path (a home folder, a checkout, /tmp).
      expect(text, f).not.toMatch(/"(\/|[A-Za-z]:\\)/);
    }
  });
});
