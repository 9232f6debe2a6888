/** manifest.json names files relative to the project, never by an absolute path (it is committed with results). */
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
});
