// Planned-works windows over time: scheduled -> active -> ended (at `to`, or ended early), and
// which open incidents are planned. An incident is planned when, the first time it is seen
// open, all its root resources lie inside one active window; it stays planned while that
// window is active and still covers all its roots. When the window ends with it still open,
// or a root outside joins it, it becomes a normal incident at once. Pure: time passed in.
import type { CircuitView, IncidentView } from '../model.js';
import { DeadlineQueue } from '../time/deadline-queue.js';
import type { TopologyGraph } from '../topology/graph.js';
import { coverage, coveringWindow, type Coverage } from './cover.js';
import { preview } from './preview.js';
import { fromView, stateAt, type MaintenanceView, type MaintenanceWindow } from './window.js';

/** What a person (or the works file) asks for. */
export type WindowInput = Pick<MaintenanceWindow, 'targets' | 'from' | 'to' | 'reason' | 'by' | 'reference'>;

/** An incident that stopped being planned, and why. */
export interface Unplanned {
  window: string;
  reason: 'overran' | 'outside';
}

export type WindowResult =
  { ok: true; window: MaintenanceView } | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

interface Lookups {
  incident(id: string): IncidentView | undefined;
  circuit(id: string): CircuitView | undefined;
}

export class MaintenanceEngine {
  /** Windows not ended yet, in creation order, with what they cover. */
  private readonly live = new Map<string, { w: MaintenanceWindow; cover: Coverage }>();
  /** The next boundary of each live window: its start while scheduled, its end while active. */
  private readonly due = new DeadlineQueue<string>();
  /** Incident -> the window it is planned under (kept after it clears: its history). */
  private readonly planned = new Map<string, string>();
  private readonly byWindow = new Map<string, Set<string>>();
  /** Open incidents decided normal (forgotten when they clear). */
  private readonly normal = new Set<string>();
  private n = 0;

  constructor(private readonly graph: TopologyGraph) {}

  setBase(n: number): void {
    this.n = Math.max(this.n, n);
  }

  restore(
    windows: MaintenanceView[],
    incidents: Array<IncidentView & { maintenance?: string | null }>,
    now: number,
  ): void {
    for (const v of windows) {
      this.n = Math.max(this.n, Number(v.id.slice(3)));
      const w = fromView(v);
      if (w.endedAt == null) this.track(w, now);
    }
    for (const i of incidents) {
      if (i.maintenance) this.plan(i.id, i.maintenance);
      else if (i.state === 'open') this.normal.add(i.id);
    }
  }

  nextDue(): number | undefined {
    return this.due.nextDue();
  }

  get(id: string): MaintenanceWindow | undefined {
    return this.live.get(id)?.w;
  }

  create(input: WindowInput, now: number, circuit: Lookups['circuit']): MaintenanceWindow {
    const w: MaintenanceWindow = {
      id: `MW-${++this.n}`,
      ...input,
      createdAt: now,
      endedAt: null,
      endedBy: null,
      circuitsAtRisk: preview(this.graph, input.targets, circuit).circuitsAtRisk,
      report: null,
    };
    this.track(w, now);
    return w;
  }

  /** Ends a window now (DELETE). `stored` is the window as stored, for one already ended. */
  end(
    id: string,
    by: string,
    now: number,
    at: Lookups,
    stored?: MaintenanceView,
  ): { ok: true; window: MaintenanceWindow } | Extract<WindowResult, { ok: false }> {
    const live = this.live.get(id);
    if (!live) {
      return stored
        ? {
            ok: false,
            code: 'CONFLICT',
            message: `planned works ${id} already ended at ${stored.endedAt ?? stored.to}`,
          }
        : { ok: false, code: 'NOT_FOUND', message: `planned works "${id}" do not exist` };
    }
    live.w.endedBy = by;
    return { ok: true, window: this.finish(live.w, now, at) };
  }

  /** Windows that start or end now. */
  tick(now: number, at: Lookups): MaintenanceWindow[] {
    const out: MaintenanceWindow[] = [];
    for (const id of this.due.takeDue(now)) {
      const w = this.live.get(id)!.w;
      if (now >= w.to) out.push(this.finish(w, w.to, at));
      else {
        this.due.set(id, w.to);
        out.push(w);
      }
    }
    return out;
  }

  private incidentsOf(window: string): string[] {
    return [...(this.byWindow.get(window) ?? [])];
  }

  /** The window an incident belongs to now, and whether it just stopped being planned. */
  decide(inc: IncidentView, now: number): { maintenance: string | null; unplanned?: Unplanned } {
    const cur = this.planned.get(inc.id);
    if (inc.state !== 'open') {
      this.normal.delete(inc.id);
      return { maintenance: cur ?? null };
    }
    if (cur !== undefined) {
      const live = this.live.get(cur);
      const active = !!live && stateAt(live.w, now) === 'active';
      if (active && coveringWindow(inc, [{ id: cur, cover: live!.cover }]) === cur) return { maintenance: cur };
      this.unplan(inc.id, cur);
      this.normal.add(inc.id);
      return { maintenance: null, unplanned: { window: cur, reason: active ? 'outside' : 'overran' } };
    }
    if (this.normal.has(inc.id)) return { maintenance: null };
    const win = coveringWindow(inc, this.activeWindows(now));
    if (win) this.plan(inc.id, win);
    else this.normal.add(inc.id);
    return { maintenance: win };
  }

  /** A circuit hit only by planned incidents is shown with their window. */
  circuitWindow(c: CircuitView): string | null {
    if (!c.incidentIds.length) return null;
    const ws = c.incidentIds.map((i) => this.planned.get(i));
    return ws.every((w) => w && this.live.has(w)) ? ws[0]! : null;
  }

  private *activeWindows(now: number) {
    for (const l of this.live.values()) if (stateAt(l.w, now) === 'active') yield { id: l.w.id, cover: l.cover };
  }

  private track(w: MaintenanceWindow, now: number): void {
    this.live.set(w.id, { w, cover: coverage(this.graph, w.targets) });
    this.due.set(w.id, now < w.from ? w.from : w.to);
  }

  private plan(incident: string, window: string): void {
    this.planned.set(incident, window);
    let s = this.byWindow.get(window);
    if (!s) this.byWindow.set(window, (s = new Set()));
    s.add(incident);
  }

  private unplan(incident: string, window: string): void {
    this.planned.delete(incident);
    this.byWindow.get(window)?.delete(incident);
  }

  /** Ends a window: its report names its incidents, those still open, and circuits left on protection. */
  private finish(w: MaintenanceWindow, at: number, look: Lookups): MaintenanceWindow {
    w.endedAt = at;
    this.live.delete(w.id);
    this.due.delete(w.id);
    const incidents = this.incidentsOf(w.id).sort(byNumber);
    const open = incidents.filter((i) => look.incident(i)?.state === 'open');
    const touched = new Set(preview(this.graph, w.targets, look.circuit).circuits.map((l) => l.circuit));
    for (const i of incidents) for (const c of look.incident(i)?.affectedCircuits ?? []) touched.add(c);
    const onProtection = [...touched].filter((c) => look.circuit(c)?.activePath === 'protection').sort();
    w.report = { endedAt: new Date(at).toISOString(), incidents, overran: open, circuitsOnProtection: onProtection };
    this.byWindow.delete(w.id);
    return w;
  }
}

const byNumber = (a: string, b: string) =>
  Number(a.slice(a.lastIndexOf('-') + 1)) - Number(b.slice(b.lastIndexOf('-') + 1));
