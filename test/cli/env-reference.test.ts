/**
 * envs/README.md is generated from the envs' doc comments (experiments/cli/env-reference.ts): this test
 * fails when an env's doc comment, registration or default spaces changed without regenerating it with
 * `node dist/experiments/cli/main.js envs --markdown > envs/README.md`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listEnvs } from '../../envs/index.js';
import { envDoc, envReferenceMarkdown } from '../../experiments/cli/env-reference.js';

describe('the env reference', () => {
  it('envs/README.md is current', () => {
    const committed = readFileSync(new URL('../../envs/README.md', import.meta.url), 'utf8');
    expect(committed).toBe(envReferenceMarkdown());
  });

  it('every registered env opens its source file with a doc comment in the fixed sections', () => {
    for (const spec of listEnvs()) {
      const doc = envDoc(spec);
      for (const section of ['## Description', '## Observation', '## Actions', '## Reward', '## Version history']) {
        expect(doc.text, `${spec.id} (${doc.file}) has no '${section}'`).toContain(section);
      }
      expect(doc.text, `${spec.id} cites a file outside the repository`).not.toMatch(/\.\.\/shared|shared\/reference/);
    }
  });
});
