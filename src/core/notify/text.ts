// Message text in zh-CN (default) or en: priority, what happened, where (the ticket title),
// impact counts, the first runbook steps, who is on duty, a link to the NOC page. Pure.
import type { TicketView } from '../model.js';
import type { Lang } from '../tickets/runbooks.js';
import type { Composed } from './message.js';
import type { Person } from './roster.js';
import type { TicketEvent } from './whom.js';

export type TextTicket = Pick<
  TicketView,
  'id' | 'priority' | 'title' | 'runbook' | 'affectedCircuits' | 'customers' | 'escalation' | 'state'
> & {
  titles?: Record<Lang, string>;
  runbooks?: Record<Lang, Array<{ step: number; text: string }>>;
  impacts?: Array<{ impact: string }>;
};

const WORDS = {
  'zh-CN': {
    event: { opened: '新工单', escalated: '升级', reminder: '未确认提醒', resolved: '已恢复' } as Record<
      TicketEvent,
      string
    >,
    group: { duty: '24 小时值班', implementation: '应急预案实施小组', leadership: '应急领导小组' } as Record<
      string,
      string
    >,
    level: (n: number, g: string) => `级别：${n} 级（${g}）`,
    impact: (n: number, parts: string) => `影响：${n} 条专线${parts ? `（${parts}）` : ''}`,
    impactKind: {
      down: '中断',
      'switch-failed': '倒换失败',
      'switch-required': '待倒换',
      switched: '已倒换',
      'protection-lost': '无保护',
      'at-risk': '有风险',
    } as Record<string, string>,
    customers: '客户：',
    steps: '处置：',
    onDuty: '值班人员：',
    link: '详情：',
    digest: (n: number, parts: string) => `【告警汇总】${n} 张工单（${parts}）`,
    more: (n: number) => `……另有 ${n} 张，见 NOC 页面`,
    moreCustomers: (n: number) => `等 ${n} 家`,
    sep: '，',
    colon: '：',
  },
  en: {
    event: {
      opened: 'new ticket',
      escalated: 'escalated',
      reminder: 'not acknowledged',
      resolved: 'recovered',
    } as Record<TicketEvent, string>,
    group: { duty: '24 h duty', implementation: 'implementation group', leadership: 'leadership group' } as Record<
      string,
      string
    >,
    level: (n: number, g: string) => `Level: ${n} (${g})`,
    impact: (n: number, parts: string) => `Impact: ${n} circuits${parts ? ` (${parts})` : ''}`,
    impactKind: {
      down: 'down',
      'switch-failed': 'switch failed',
      'switch-required': 'to switch',
      switched: 'switched',
      'protection-lost': 'no protection',
      'at-risk': 'at risk',
    } as Record<string, string>,
    customers: 'Customers: ',
    steps: 'Runbook:',
    onDuty: 'On duty: ',
    link: 'Details: ',
    digest: (n: number, parts: string) => `[Digest] ${n} tickets (${parts})`,
    more: (n: number) => `… and ${n} more on the NOC page`,
    moreCustomers: (n: number) => `and ${n} more`,
    sep: ', ',
    colon: ': ',
  },
};

export interface TextOptions {
  lang: Lang;
  pageUrl: string | null;
  onDuty: Person[];
  /** Runbook steps shown per ticket. */
  steps?: number;
  /** Tickets listed in a digest. */
  digestLines?: number;
}

const titleOf = (t: TextTicket, lang: Lang) => t.titles?.[lang] ?? t.title;
const linkOf = (pageUrl: string | null, id?: string) =>
  pageUrl ? (id ? `${pageUrl}${pageUrl.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(id)}` : pageUrl) : null;

/** Worst first. */
const IMPACT_ORDER = ['down', 'switch-failed', 'switch-required', 'at-risk', 'protection-lost', 'switched'];

function impactLine(t: TextTicket, lang: Lang): string {
  const w = WORDS[lang];
  const counts = new Map<string, number>();
  for (const i of t.impacts ?? []) counts.set(i.impact, (counts.get(i.impact) ?? 0) + 1);
  const rank = (k: string) => (IMPACT_ORDER.includes(k) ? IMPACT_ORDER.indexOf(k) : IMPACT_ORDER.length);
  const parts = [...counts]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([k, n]) => `${w.impactKind[k] ?? k} ${n}`)
    .join(w.sep);
  return w.impact(t.affectedCircuits.length, parts);
}

/** Subject line: `[P1 升级] TKT-3 光缆中断…` / digest headline. */
export function subjectOf<T extends TextTicket>(m: Composed<T>, lang: Lang): string {
  const w = WORDS[lang];
  if (m.event === 'digest') {
    const by = new Map<string, number>();
    for (const l of m.lines) by.set(l.event, (by.get(l.event) ?? 0) + 1);
    return w.digest(m.tickets.length, [...by].map(([e, n]) => `${w.event[e as TicketEvent]} ${n}`).join(w.sep));
  }
  const t = m.tickets[0];
  return `【${t.priority} ${w.event[m.event]}】${t.id} ${titleOf(t, lang)}`;
}

export function messageText<T extends TextTicket>(m: Composed<T>, o: TextOptions): string {
  const w = WORDS[o.lang];
  const lines = [subjectOf(m, o.lang)];
  if (m.event === 'digest') {
    const max = o.digestLines ?? 20;
    for (const l of m.lines.slice(0, max))
      lines.push(`- ${l.ticket.priority} ${w.event[l.event]} ${l.ticket.id} ${titleOf(l.ticket, o.lang)}`);
    if (m.lines.length > max) lines.push(w.more(m.lines.length - max));
  } else {
    const t = m.tickets[0];
    lines.push(w.level(m.level, w.group[m.group]), impactLine(t, o.lang));
    if (t.customers.length) {
      const shown = t.customers.slice(0, 6).join(w.sep);
      lines.push(w.customers + shown + (t.customers.length > 6 ? ` ${w.moreCustomers(t.customers.length - 6)}` : ''));
    }
    if (m.event !== 'resolved') {
      const steps = (t.runbooks?.[o.lang] ?? t.runbook).slice(0, o.steps ?? 3);
      if (steps.length) lines.push(w.steps, ...steps.map((s) => `${s.step}. ${s.text}`));
    }
  }
  if (o.onDuty.length && m.event !== 'resolved') {
    lines.push(w.onDuty + o.onDuty.map((p) => [p.name, p.phone].filter(Boolean).join(' ')).join(w.sep));
  }
  const link = linkOf(o.pageUrl, m.event === 'digest' ? undefined : m.tickets[0].id);
  if (link) lines.push(w.link + link);
  return lines.join('\n');
}
