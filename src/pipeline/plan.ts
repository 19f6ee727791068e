// plan: planned-works windows (create, end, start/end on time) and which incidents are planned.
// Runs between protect and ticket: every incident view the pipeline publishes carries its
// `maintenance` window (or null), every circuit view whether only planned works hit it, and an
// incident that stops being planned is handed to the ticket stage in `step.unplanned`.
import { map, type OperatorFunction } from 'rxjs';
import type { Correlator } from '../core/correlation/engine.js';
import type { MaintenanceEngine } from '../core/maintenance/engine.js';
import { windowView, type MaintenanceWindow } from '../core/maintenance/window.js';
import type { ProtectionEngine } from '../core/protection/engine.js';
import type { Step } from './stages.js';

export function plan(m: MaintenanceEngine, c: Correlator, p: ProtectionEngine): OperatorFunction<Step, Step> {
  return map((step) => {
    const look = {
      incident: (id: string) => step.incidents.get(id) ?? c.incident(id),
      circuit: (id: string) => step.circuits.get(id) ?? p.circuit(id),
    };
    const changed: MaintenanceWindow[] = [];
    const cmd = step.command;
    if (cmd?.kind === 'maintenance-create') {
      const w = m.create(cmd.window, step.now, look.circuit);
      changed.push(w);
      step.result = { ok: true, window: windowView(w, step.now) };
    } else if (cmd?.kind === 'maintenance-end') {
      const r = m.end(cmd.window, cmd.by, step.now, look, cmd.stored);
      step.result = r.ok ? { ok: true, window: windowView(r.window, step.now) } : r;
      if (r.ok) changed.push(r.window);
    }
    if (step.tick) changed.push(...m.tick(step.now, look));
    for (const w of changed) {
      step.windows.set(w.id, windowView(w, step.now));
      // The window's incidents still open when it ended are looked at again: no longer planned.
      for (const id of w.report?.overran ?? []) {
        const inc = look.incident(id);
        if (inc) step.incidents.set(id, inc);
      }
    }
    for (const [id, inc] of step.incidents) {
      const d = m.decide(inc, step.now);
      step.incidents.set(id, { ...inc, maintenance: d.maintenance });
      if (!d.unplanned) continue;
      step.unplanned.set(id, d.unplanned);
      for (const k of inc.affectedCircuits) {
        const v = look.circuit(k);
        if (v) step.circuits.set(k, v);
      }
    }
    for (const [id, v] of step.circuits) step.circuits.set(id, { ...v, maintenance: m.circuitWindow(v) });
    return step;
  });
}
