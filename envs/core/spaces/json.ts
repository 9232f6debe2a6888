/** Rebuilds a space from its JSON form (the inverse of `space.toJSON()`). */
import { OptionError } from '../errors.js';
import { Box, decodeBound } from './box.js';
import { Discrete } from './discrete.js';
import type { Space, SpaceJSON } from './space.js';

export function spaceFromJSON(json: SpaceJSON): Space {
  switch (json?.type) {
    case 'Box':
      return new Box(json.low.map(decodeBound), json.high.map(decodeBound), json.shape, json.dtype);
    case 'Discrete':
      return new Discrete(json.n, json.start);
    default:
      throw new OptionError('type', `is ${JSON.stringify((json as { type?: unknown })?.type)}`, 'Box, Discrete, MultiDiscrete, MultiBinary, Dict, Tuple', 'spaceFromJSON');
  }
}
