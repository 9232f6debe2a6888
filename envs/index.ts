/**
 * Public entry of the environments: the core API and every registered env. Importing this module
 * registers all of schedlab's envs.
 */
export * from './core/index.js';
import './classic/index.js';
export { CartPoleEnv } from './classic/index.js';
