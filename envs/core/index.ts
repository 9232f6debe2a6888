export * from './env.js';
export * from './errors.js';
export * from './options.js';
export * from './registry.js';
export * from './rng.js';
export * from './spaces/index.js';
export * from './wrappers/index.js';
export * from './vector/index.js';
