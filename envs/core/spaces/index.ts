export * from './space.js';
export * from './box.js';
export * from './discrete.js';
export * from './json.js';
