// What every view needs: escaping and the page's language and permissions.
import { known, text, type Key, type Lang } from './i18n.js';

export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface Ctx {
  lang: Lang;
  /** Permissions of the token (GET /api/v1/whoami). */
  perms: ReadonlySet<string>;
}

export const tr = (ctx: Ctx, key: Key, vars?: Record<string, string | number>): string =>
  esc(text(ctx.lang, key, vars));

/** A relative time, filled in (and kept current) by the page's ticker. */
export const since = (iso: string): string => `<time data-since="${esc(iso)}" datetime="${esc(iso)}"></time>`;

/** A countdown to `iso`, filled in by the ticker with the text `key` ({t} = the time left). */
export const due = (iso: string, key: Key, tag = 'span'): string =>
  `<${tag} class="due" data-due="${esc(iso)}" data-key="${key}"></${tag}>`;

/** A word the API sends (a kind, a state, a journal action): translated when the table has it, else as sent. */
export const word = (ctx: Ctx, key: string, fallback = key): string => (known(key) ? tr(ctx, key) : esc(fallback));
