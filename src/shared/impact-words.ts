// What an incident does to its circuits, counted by impact, in the words the duty engineers
// use: "3 条中断、11 条已倒换、6 条失去保护" / "3 down, 11 switched, 6 without protection".
// Shared by ticket titles (server) and the NOC page (browser): no imports.

/** Worst first: the order the counts are said in. */
export const IMPACT_KINDS = [
  'down',
  'switch-failed',
  'switch-required',
  'switched',
  'protection-lost',
  'at-risk',
] as const;
export type ImpactKind = (typeof IMPACT_KINDS)[number];

export type ImpactLang = 'zh-CN' | 'en';

const WORDS: Record<ImpactLang, Record<ImpactKind, string> & { none: string; sep: string; unit: string }> = {
  'zh-CN': {
    down: '中断',
    'switch-failed': '倒换失败',
    'switch-required': '待倒换',
    switched: '已倒换',
    'protection-lost': '失去保护',
    'at-risk': '有风险',
    none: '无专线受影响',
    sep: '、',
    unit: ' 条',
  },
  en: {
    down: 'down',
    'switch-failed': 'switch failed',
    'switch-required': 'switch required',
    switched: 'switched',
    'protection-lost': 'without protection',
    'at-risk': 'at risk',
    none: 'no circuits affected',
    sep: ', ',
    unit: ' ',
  },
};

export function impactCounts(impacts: ReadonlyArray<{ impact: ImpactKind }>): Record<ImpactKind, number> {
  const n = Object.fromEntries(IMPACT_KINDS.map((k) => [k, 0])) as Record<ImpactKind, number>;
  for (const i of impacts) n[i.impact]++;
  return n;
}

/** "3 条中断、11 条已倒换" / "3 down, 11 switched"; counts of zero are left out. */
export function impactWords(impacts: ReadonlyArray<{ impact: ImpactKind }>, lang: ImpactLang): string {
  const w = WORDS[lang];
  const n = impactCounts(impacts);
  const parts = IMPACT_KINDS.filter((k) => n[k] > 0).map((k) => `${n[k]}${w.unit}${w[k]}`);
  return parts.length ? parts.join(w.sep) : w.none;
}
