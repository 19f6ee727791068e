// What one incident does to one circuit (contract 2, section 7: `impacts`), from what the
// incident failed of the circuit and the circuit's path state. Pure. An access cut that takes a
// circuit down is `down` for the access incident, while the span cut that merely took the
// circuit's protection path is `protection-lost` for the span incident.
import type { CircuitState, ImpactKind } from '../model.js';
import type { ActivePath } from './decide.js';
import type { CircuitHits } from './faults.js';

export interface CircuitPathState {
  activePath: ActivePath;
  /** The state the paths alone give (no endpoint faults, no power). */
  pathState: CircuitState;
}

export function impactOf(hits: CircuitHits, c: CircuitPathState): ImpactKind | null {
  if (hits.endpoint) return 'down';
  if (hits.working || hits.protect) {
    if (c.pathState === 'down') return 'down';
    const activeHit = c.activePath === 'working' ? hits.working : hits.protect;
    if (activeHit) return c.pathState === 'switch-failed' ? 'switch-failed' : 'switch-required';
    return c.activePath === 'protection' && hits.working ? 'switched' : 'protection-lost';
  }
  // A site on battery under its path, or an unclassified fault on its equipment: not failed yet.
  if (hits.power || hits.touches) return 'at-risk';
  return null;
}
