// Behaviour fingerprint of the learned agents, for refactors that must not change results:
//   node bench/fingerprint/record.mjs <dist folder of a build> <out.json>   (train each algorithm briefly on
//   CartPole-v1, masked ClusterScheduling-v0 and per-item BatchScheduling-v0; record the learning curve without
//   timing columns, greedy and sampled evaluations, and the checkpoint's weight hash, counters, RNG and normalisation)
//   node bench/fingerprint/compare.mjs <before.json> <after.json>
// Build the commit to compare with in a git worktree (npx tsc there) and record both.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [root, out] = process.argv.slice(2);
const lib = await import(join(root, 'index.js'));
const { make, makeAgent, makeVec } = lib;
const evalMod = await import(join(root, 'index.js'));
const evaluate = evalMod.evaluate;
const drop = (row) => Object.fromEntries(Object.entries(row).filter(([k]) => !/^(SPS|time\/)/.test(k)));
const cases = [
  ['ppo', 'CartPole-v1', {}, { numEnvs: 4, numSteps: 128 }, 4096],
  [
    'ppo',
    'ClusterScheduling-v0',
    { preset: 'deeprm-train', observation: 'compact' },
    { numEnvs: 4, numSteps: 64, normalizeObservation: true, normalizeReward: true },
    2048,
  ],
  [
    'ppo',
    'BatchScheduling-v0',
    { trace: 'lublin-1', sequenceLength: 64 },
    {
      body: 'items',
      piLayers: [32, 16, 8],
      vfLayers: [32, 8],
      activation: 'relu',
      numEnvs: 2,
      numSteps: 64,
      normalizeObservation: true,
      normalizeReward: true,
      updateEpochs: 2,
    },
    512,
  ],
  ['a2c', 'CartPole-v1', {}, { numEnvs: 4 }, 2000],
  ['a2c', 'ClusterScheduling-v0', { preset: 'deeprm-train', observation: 'compact' }, { numEnvs: 4 }, 1000],
  ['dqn', 'CartPole-v1', {}, { learningStarts: 500 }, 2000],
  ['dqn', 'ClusterScheduling-v0', { preset: 'deeprm-train', observation: 'compact' }, { learningStarts: 200 }, 800],
  ['reinforce', 'CartPole-v1', {}, {}, 2000],
  ['reinforce', 'ClusterScheduling-v0', { preset: 'deeprm-train', observation: 'compact' }, {}, 1000],
];
const result = {};
for (const [agentName, envId, envOptions, agentOptions, steps] of cases) {
  const key = `${agentName} ${envId}`;
  const env = make(envId, envOptions);
  const agent = makeAgent(agentName, env, agentOptions, { seed: 3, envId });
  const n = Number(agent.options.numEnvs ?? 1);
  if (n > 1) {
    const vec = makeVec(envId, n, { options: envOptions, autoresetMode: 'same-step' });
    await agent.learn(vec, { totalSteps: steps });
    await vec.close();
  } else {
    env.reset({ seed: 3 });
    await agent.learn(env, { totalSteps: steps });
  }
  const curve = agent.logger.rows.map(drop);
  const evalEnv = make(envId, envOptions);
  const greedy = evaluate(evalEnv, agent, { episodes: 3, seed: 100, deterministic: true });
  const dir = mkdtempSync(join(tmpdir(), 'bitcheck-'));
  await agent.save(dir);
  const weights = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]);
  const meta = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'));
  const sampled = evaluate(make(envId, envOptions), agent, { episodes: 3, seed: 100, deterministic: false });
  result[key] = {
    curve,
    greedy: greedy.metrics,
    sampled: sampled.metrics,
    weights,
    counters: meta.counters,
    rng: meta.rng,
    normalization: meta.normalization ?? null,
  };
  agent.dispose?.();
  process.stderr.write(`${key}: ${curve.length} rows\n`);
}
writeFileSync(out, JSON.stringify(result, null, 1));
