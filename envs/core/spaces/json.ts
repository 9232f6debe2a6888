/** Rebuilds a space from its JSON form (the inverse of `space.toJSON()`). */
import { OptionError } from '../../../core/errors.js';
import { Box, decodeBound } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space, SpaceJSON } from './space.js';
import { Tuple } from './tuple.js';

export function spaceFromJSON(json: SpaceJSON): Space {
  switch (json?.type) {
    case 'Box':
      return new Box(json.low.map(decodeBound), json.high.map(decodeBound), json.shape, json.dtype);
    case 'Discrete':
      return new Discrete(json.n, json.start);
    case 'MultiDiscrete':
      return new MultiDiscrete(json.nvec, json.start);
    case 'MultiBinary':
      return new MultiBinary(json.n);
    case 'Dict': {
      const spaces: Record<string, Space> = {};
      for (const [k, v] of Object.entries(json.spaces ?? {})) spaces[k] = spaceFromJSON(v);
      return new Dict(spaces);
    }
    case 'Tuple':
      if (!Array.isArray(json.spaces))
        throw new OptionError('spaces', 'is not an array', 'an array of space JSON forms', 'spaceFromJSON (Tuple)');
      return new Tuple(json.spaces.map(spaceFromJSON));
    default:
      throw new OptionError(
        'type',
        `is ${JSON.stringify((json as { type?: unknown })?.type)}`,
        'Box, Discrete, MultiDiscrete, MultiBinary, Dict, Tuple',
        'spaceFromJSON',
      );
  }
}
