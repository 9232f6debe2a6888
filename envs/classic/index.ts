import { register } from '../core/registry.js';
import { CartPoleEnv } from './cartpole.js';

register({
  id: 'CartPole-v1',
  module: import.meta.url,
  entryPoint: (options) => new CartPoleEnv(options),
  maxEpisodeSteps: 500,
  rewardThreshold: 475.0,
  description: 'balance a pole on a cart (Gymnasium CartPole-v1 dynamics)',
  source: 'Barto, Sutton & Anderson 1983; Gymnasium classic_control',
});

export { CartPoleEnv };
