// The circuits' current states and the spans/nodes failed now, read from a running service's
// REST API, so that `simulate` predicts from where the network is (after an earlier drill).
import type { CircuitView } from '../core/model.js';
import type { CurrentState } from '../simulation/predict.js';

const FAILED_SPAN = new Set(['cut', 'one-fibre', 'down']);

export type Fetched = { ok: true; state: CurrentState } | { ok: false; reason: string };

export async function fetchCurrentState(api: string, token?: string, timeoutMs = 3000): Promise<Fetched> {
  const get = async (path: string) => {
    const r = await fetch(`${api.replace(/\/$/, '')}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json() as Promise<Record<string, unknown>>;
  };
  try {
    const [circuits, topology] = await Promise.all([get('/api/v1/circuits'), get('/api/v1/topology')]);
    const spans = (topology.spans as Array<{ id: string; status: string }>)
      .filter((s) => FAILED_SPAN.has(s.status))
      .map((s) => s.id);
    const nodes = (topology.nodes as Array<{ id: string; status: string }>)
      .filter((n) => n.status === 'failed')
      .map((n) => n.id);
    return { ok: true, state: { circuits: circuits.items as CircuitView[], failed: { spans, nodes } } };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, reason: err.cause?.code ?? err.message };
  }
}
