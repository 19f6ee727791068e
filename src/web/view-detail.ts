// One incident in full: its ticket (id, priority, escalation, who is on duty), per-circuit
// impact with the switchovers the token may confirm, the runbook, the journal, the alarms.
import { esc, since, tr, word, type Ctx } from './html.js';
import { contactText } from './view-duty.js';
import { where } from './view-incidents.js';
import type { Alarm, Circuit, CircuitImpact, Contact, Incident, Ticket } from './types.js';

/** The paths a switchover may be confirmed to, by contract 2 section 7 (empty: none). */
export function switchTargets(c: Circuit | undefined): Array<'working' | 'protection'> {
  if (!c) return [];
  if (c.state === 'switch-required' || c.state === 'switch-failed')
    return [c.switchTo ?? (c.activePath === 'working' ? 'protection' : 'working')];
  if (c.activePath === 'protection' && c.workingRestored && (c.state === 'on-protection' || c.state === 'at-risk'))
    return ['working'];
  return [];
}

export function switchButtons(ctx: Ctx, c: Circuit | undefined): string {
  if (!c || !ctx.perms.has('switchover')) return '';
  return switchTargets(c)
    .map(
      (to) =>
        `<button type="button" class="act switch" data-switch="${esc(c.id)}" data-to="${to}">${tr(ctx, to === 'working' ? 'toWorking' : 'toProtection')}</button>`,
    )
    .join('');
}

function contacts(tk: Ticket): Contact[] | null {
  return Array.isArray(tk.contacts) ? tk.contacts : null;
}

function facts(ctx: Ctx, i: Incident, tk: Ticket | undefined): string {
  const rows: string[] = [];
  const row = (k: Parameters<typeof tr>[1], field: string, v: string) =>
    rows.push(`<dt>${tr(ctx, k)}</dt><dd data-field="${field}">${v}</dd>`);
  row('where', 'where', esc(where(i)));
  row('opened', 'opened', `${since(i.openedAt)} · ${esc(new Date(i.openedAt).toLocaleString(ctx.lang))}`);
  if (!tk) {
    row('ticket', 'ticket', tr(ctx, 'noTicket'));
    return `<dl class="facts">${rows.join('')}</dl>`;
  }
  row(
    'ticket',
    'ticket',
    `${esc(tk.id)} · <span class="tk-state" data-state="${esc(tk.state)}">${word(ctx, `tk-${tk.state}`, tk.state)}</span>${tk.ackBy ? ` · ${tr(ctx, 'ackedBy', { by: tk.ackBy })}` : ''}`,
  );
  row(
    'priority',
    'priority',
    `<span class="prio" data-priority="${esc(tk.priority)}">${esc(tk.priority)}</span>${tk.planned ? ` <span class="planned-tag">${tr(ctx, 'planned')}</span>` : ''}`,
  );
  const e = tk.escalation;
  row(
    'escalation',
    'escalation',
    `<span title="${esc(e.reason)}">${tr(ctx, 'levelN', { n: e.level })} · ${word(ctx, `esc-${e.group}`, e.group)}</span>`,
  );
  const people = contacts(tk);
  if (people?.length)
    row('onDuty', 'contacts', `<ul class="contacts">${people.map((p) => `<li>${contactText(p)}</li>`).join('')}</ul>`);
  return `<dl class="facts">${rows.join('')}</dl>`;
}

function impacts(ctx: Ctx, i: Incident, tk: Ticket | undefined, circuit: (id: string) => Circuit | undefined): string {
  const list: CircuitImpact[] | undefined = i.impacts ?? tk?.impacts;
  const ids = list ? list.map((x) => x.circuit) : i.affectedCircuits;
  if (!ids.length) return '';
  const byId = new Map((list ?? []).map((x) => [x.circuit, x]));
  const rows = ids
    .map((id) => {
      const im = byId.get(id);
      const c = circuit(id);
      const prio = im?.priority ?? c?.priority ?? '';
      return `<tr data-impact-circuit="${esc(id)}" data-impact="${esc(im?.impact ?? '')}">
      <td><button type="button" class="linkish" data-route="${esc(id)}">${esc(id)}</button>${prio === 'vip' ? ' ★' : ''}</td><td class="cust">${esc(im?.customer ?? c?.customer ?? '')}</td>
      <td class="impact">${im ? word(ctx, `im-${im.impact}`, im.impact) : ''}</td>
      <td class="now" data-state="${esc(c?.state ?? '')}">${c ? word(ctx, `st-${c.state}`, c.state) : '—'}</td>
      <td class="acts">${switchButtons(ctx, c)}</td></tr>`;
    })
    .join('');
  return `<h4>${tr(ctx, 'impact')}</h4><table class="impacts"><thead><tr><th>${tr(ctx, 'circuit')}</th><th>${tr(ctx, 'customer')}</th>${list ? `<th>${tr(ctx, 'impact')}</th>` : '<th></th>'}<th>${tr(ctx, 'circuitStateNow')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function journal(ctx: Ctx, tk: Ticket | undefined): string {
  if (!tk || !Array.isArray(tk.journal)) return '';
  const items = tk.journal.map(
    (j) =>
      `<li data-action="${esc(j.action)}">${since(j.at)} <b>${word(ctx, `j-${j.action}`, j.action)}</b>${j.by ? ` · ${j.by === 'ringguard' ? tr(ctx, 'by-ringguard') : esc(j.by)}` : ''}${j.text ? `<div class="jtext">${esc(j.text)}</div>` : ''}</li>`,
  );
  return `<h4>${tr(ctx, 'journal')}</h4><ol class="journal">${items.join('') || `<li class="muted">${tr(ctx, 'noJournal')}</li>`}</ol>`;
}

function alarms(ctx: Ctx, list: Alarm[], open: boolean): string {
  if (!list.length) return '';
  const sup = list.filter((a) => a.suppressed).length;
  const canAck = ctx.perms.has('ack');
  const items = list.map(
    (a) => `<li class="${a.suppressed ? 'sup' : 'root'}" data-alarm="${esc(a.id)}">
    <span class="tag">${tr(ctx, a.suppressed ? 'suppressedTag' : 'rootTag')}</span> ${esc(a.node)} ${esc(a.object)} ${esc(a.type)}${a.state === 'cleared' ? ` <span class="muted">${tr(ctx, 'clearedTag')}</span>` : ''}
    ${a.ackBy ? ` <span class="muted">${tr(ctx, 'ackedBy', { by: a.ackBy })}</span>` : canAck && 'ackBy' in a ? ` <button type="button" class="act small" data-ack-alarm="${esc(a.id)}">${tr(ctx, 'ackAlarm')}</button>` : ''}</li>`,
  );
  return `<details class="alarms"${open ? ' open' : ''}><summary>${tr(ctx, 'rootsN', { n: list.length - sup })}, ${tr(ctx, 'suppressedN', { n: sup })}</summary><ul>${items.join('')}</ul></details>`;
}

export interface DetailInput {
  incident: Incident;
  ticket: Ticket | undefined;
  alarms: Alarm[];
  circuit: (id: string) => Circuit | undefined;
  /** The alarm list stays open across live updates once opened. */
  alarmsOpen: boolean;
}

/** The re-rendered part of the detail (the note form and the last result live outside it). */
export function detailBody(ctx: Ctx, d: DetailInput): string {
  const { incident: i, ticket: tk } = d;
  const acts: string[] = [];
  if (tk && tk.state === 'open' && ctx.perms.has('ack'))
    acts.push(`<button type="button" class="act" data-ticket-act="ack">${tr(ctx, 'ack')}</button>`);
  if (tk && tk.state === 'resolved' && ctx.perms.has('close'))
    acts.push(`<button type="button" class="act" data-ticket-act="close">${tr(ctx, 'close')}</button>`);
  return `<h3><span class="prio" data-priority="${esc(tk?.priority ?? '')}">${esc(tk?.priority ?? '…')}</span> ${word(ctx, i.kind)} <span class="muted">${esc(i.id)}</span></h3>
    ${tk ? `<p class="tk-title">${esc(tk.title)}</p>` : ''}
    ${facts(ctx, i, tk)}
    ${acts.length ? `<div class="actions">${acts.join('')}</div>` : ''}
    ${impacts(ctx, i, tk, d.circuit)}
    ${tk?.runbook.length ? `<h4>${tr(ctx, 'runbook')}</h4><ol class="runbook">${tk.runbook.map((s) => `<li value="${s.step}">${esc(s.text)}</li>`).join('')}</ol>` : ''}
    ${journal(ctx, tk)}
    ${alarms(ctx, d.alarms, d.alarmsOpen)}`;
}
