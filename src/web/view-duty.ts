// Who is on duty now in each group (GET /api/v1/duty): the 24 h duty, the implementation group
// and the leadership group, each with its shift and the people's phones.
import { esc, tr, word, type Ctx } from './html.js';
import type { Contact, Duty } from './types.js';

const GROUPS = ['duty', 'implementation', 'leadership'] as const;

/** A person: name, phone (a tel: link) and email, as the roster gives them. */
export function contactText(c: Contact): string {
  if (typeof c === 'string') return esc(c);
  const phone = c.mobile ?? c.phone;
  return `${esc(c.name ?? c.id ?? '')}${phone ? ` <a href="tel:${esc(phone)}">${esc(phone)}</a>` : ''}${c.email ? ` <a href="mailto:${esc(c.email)}">${esc(c.email)}</a>` : ''}`;
}

function shift(ctx: Ctx, s: string | null): string {
  if (s === null) return tr(ctx, 'shiftStanding');
  if (s === 'override') return tr(ctx, 'shiftOverride');
  return word(ctx, `shift-${s}`, s);
}

/** The duty panel's body; empty until the service has answered (or when it has no duty route). */
export function dutyPanel(ctx: Ctx, d: Duty | null): string {
  if (!d) return '';
  if (!d.roster) return `<p class="muted" data-duty="none">${tr(ctx, 'noRoster')}</p>`;
  const rows = GROUPS.map((g) => {
    const x = d.groups[g];
    if (!x) return '';
    const people = x.people.length
      ? `<ul class="contacts">${x.people.map((p) => `<li>${contactText(p)}</li>`).join('')}</ul>`
      : `<span class="muted">${tr(ctx, 'nobodyOnDuty')}</span>`;
    return `<dt>${tr(ctx, 'levelN', { n: x.level })} · ${word(ctx, `esc-${g}`, g)}</dt><dd data-duty-group="${g}"><span class="shift">${shift(ctx, x.shift)}</span>${people}</dd>`;
  });
  return `<dl class="facts duty">${rows.join('')}</dl>`;
}
