// The circuit state rule (contract section 6), as one pure function. Requests are ordered as
// G.841 orders them: signal fail on both paths (down) > signal fail on the active path (a switch
// is required towards the other one) > wait-to-restore > no request. So a new failure always
// pre-empts a WTR in progress, in either direction.
import type { CircuitState } from '../model.js';

export type ActivePath = 'working' | 'protection';

export const otherPath = (p: ActivePath): ActivePath => (p === 'working' ? 'protection' : 'working');

export interface DecideInput {
  /** The circuit has a protection path (protection is not `none`). */
  protected: boolean;
  revertive: boolean;
  activePath: ActivePath;
  /** Decided failures (incidents) on each path. */
  workingHit: boolean;
  protectHit: boolean;
  /** Signal fail seen on the working spans' ports, decided or not (a short hit). */
  workingSignal: boolean;
  /** Its end node, access, customer equipment or 2M drop failed. */
  endpointDown: boolean;
  /** A switch failed (event or timeout) and still applies. */
  switchFailed: boolean;
  /** The working path failed since the circuit went to protection. */
  workingFailedSeen: boolean;
  /** A node on its active path runs on battery. */
  onBattery: boolean;
}

export interface Decision {
  state: CircuitState;
  /** The state the paths alone give (ignoring endpoint faults and power). */
  pathState: CircuitState;
  /** The path a switch is required towards, if any. */
  switchTo: ActivePath | null;
  workingFailedSeen: boolean;
  workingRestored: boolean;
  protectionAvailable: boolean;
}

export function decide(i: DecideInput): Decision {
  const d = i.protected ? protectedPaths(i) : unprotected(i);
  let state = i.endpointDown ? 'down' : d.pathState;
  if (i.onBattery && (state === 'ok' || state === 'on-protection')) state = 'at-risk';
  d.state = state;
  return d;
}

function unprotected(i: DecideInput): Decision {
  const pathState = i.workingHit ? 'down' : 'ok';
  return {
    state: pathState,
    pathState,
    switchTo: null,
    workingFailedSeen: false,
    workingRestored: false,
    protectionAvailable: false,
  };
}

function protectedPaths(i: DecideInput): Decision {
  const onProtection = i.activePath === 'protection';
  const activeHit = onProtection ? i.protectHit : i.workingHit;
  const standbyHit = onProtection ? i.workingHit : i.protectHit;
  const workingBad = i.workingHit || i.workingSignal;
  const seen = onProtection && (i.workingFailedSeen || workingBad);
  // One object per decision (this runs for every circuit a change touches).
  const d = (pathState: CircuitState, switchTo: ActivePath | null = null, workingRestored = false): Decision => ({
    state: pathState,
    pathState,
    switchTo,
    workingFailedSeen: seen,
    workingRestored,
    protectionAvailable: !standbyHit,
  });
  if (i.workingHit && i.protectHit) return d('down');
  if (activeHit) return d(i.switchFailed ? 'switch-failed' : 'switch-required', otherPath(i.activePath));
  if (!onProtection) return d('ok');
  if (workingBad || !seen) return d('on-protection');
  return d(i.revertive ? 'wtr' : 'on-protection', null, true);
}
