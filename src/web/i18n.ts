// Every visible string of the NOC page, in zh-CN and en, from this one table. Each entry names
// both languages, so a missing translation is a type error; test/web.test.ts also checks that
// every key the page uses exists and that both sides carry the same {placeholders}.
// Plural English forms are written "one|other" and picked with Intl.PluralRules.

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

type Entry = Record<Lang, string>;

export const TEXT = {
  // header and panels
  token: { 'zh-CN': '令牌', en: 'Token' },
  who: { 'zh-CN': '值班人', en: 'Your name' },
  lang: { 'zh-CN': 'English', en: '中文' },
  wall: { 'zh-CN': '大屏', en: 'Wall' },
  live: { 'zh-CN': '实时', en: 'live' },
  connecting: { 'zh-CN': '连接中…', en: 'connecting…' },
  offline: { 'zh-CN': '已断开，重连中', en: 'offline, retrying' },
  unauthorized: { 'zh-CN': '令牌无效或未填写', en: 'token missing or not accepted' },
  rings: { 'zh-CN': '传输网', en: 'Network' },
  ringSearch: { 'zh-CN': '搜索环/节点…', en: 'search ring/node…' },
  onlyFaulty: { 'zh-CN': '只看故障环', en: 'faulty rings only' },
  shownRings: { 'zh-CN': '显示 {n}/{t} 个环', en: 'showing {n} of {t} rings' },
  linear: { 'zh-CN': '链路', en: 'Linear links' },
  incidents: { 'zh-CN': '当前故障', en: 'Open incidents' },
  circuits: { 'zh-CN': '需关注的专线', en: 'Circuits needing attention' },
  noIncidents: { 'zh-CN': '无故障', en: 'No open incidents' },
  noCircuits: { 'zh-CN': '全部正常', en: 'All circuits ok' },
  roleIs: { 'zh-CN': '权限：{role}', en: 'role: {role}' },
  // on duty now (GET /api/v1/duty)
  dutyNow: { 'zh-CN': '当前值班', en: 'On duty now' },
  noRoster: { 'zh-CN': '未加载值班表（--roster）', en: 'no roster loaded (--roster)' },
  nobodyOnDuty: { 'zh-CN': '无人值班', en: 'nobody' },
  shiftStanding: { 'zh-CN': '常驻成员', en: 'standing members' },
  shiftOverride: { 'zh-CN': '临时调班', en: 'override' },
  'shift-day': { 'zh-CN': '白班', en: 'day shift' },
  'shift-night': { 'zh-CN': '夜班', en: 'night shift' },
  // incident list
  alarmsN: { 'zh-CN': '{n} 条告警', en: '{n} alarm|{n} alarms' },
  affectedN: { 'zh-CN': '{n} 条专线受影响', en: '{n} circuit affected|{n} circuits affected' },
  planned: { 'zh-CN': '割接', en: 'planned' },
  plannedWhy: {
    'zh-CN': '计划内割接（维护窗口 {id}），排在真实故障之后',
    en: 'planned work (window {id}), ranked below real faults',
  },
  noTicket: { 'zh-CN': '工单待生成', en: 'no ticket yet' },
  titleCount: { 'zh-CN': '{n} 个故障', en: '{n} open' },
  titleP1: { 'zh-CN': '{n} 个 P1', en: '{n} P1' },
  // detail
  detail: { 'zh-CN': '故障详情', en: 'Incident detail' },
  pickIncident: {
    'zh-CN': '点选一个故障查看工单、影响与处置步骤',
    en: 'Select an incident for its ticket, impact and runbook',
  },
  ticket: { 'zh-CN': '工单', en: 'Ticket' },
  priority: { 'zh-CN': '优先级', en: 'Priority' },
  escalation: { 'zh-CN': '升级', en: 'Escalation' },
  levelN: { 'zh-CN': '{n} 级', en: 'level {n}' },
  onDuty: { 'zh-CN': '当班', en: 'On duty' },
  ackedBy: { 'zh-CN': '{by} 已确认', en: 'acknowledged by {by}' },
  impact: { 'zh-CN': '专线影响', en: 'Circuit impact' },
  circuitStateNow: { 'zh-CN': '当前状态', en: 'state now' },
  runbook: { 'zh-CN': '处置步骤', en: 'Runbook' },
  journal: { 'zh-CN': '工单日志', en: 'Journal' },
  noJournal: { 'zh-CN': '暂无记录', en: 'nothing yet' },
  suppressedN: { 'zh-CN': '{n} 条伴随告警', en: '{n} suppressed' },
  rootsN: { 'zh-CN': '{n} 条根因告警', en: '{n} root|{n} root' },
  suppressedTag: { 'zh-CN': '伴随', en: 'suppressed' },
  rootTag: { 'zh-CN': '根因', en: 'root' },
  clearedTag: { 'zh-CN': '已清除', en: 'cleared' },
  where: { 'zh-CN': '位置', en: 'Where' },
  opened: { 'zh-CN': '发生', en: 'Opened' },
  // actions
  actions: { 'zh-CN': '操作', en: 'Actions' },
  ack: { 'zh-CN': '确认工单', en: 'Acknowledge' },
  ackAlarm: { 'zh-CN': '确认', en: 'Ack' },
  close: { 'zh-CN': '关闭工单', en: 'Close ticket' },
  note: { 'zh-CN': '添加备注', en: 'Add note' },
  notePlaceholder: { 'zh-CN': '备注（处理进展、联系人…）', en: 'note (progress, who was called…)' },
  toProtection: { 'zh-CN': '确认倒换到保护', en: 'Confirm switch to protection' },
  toWorking: { 'zh-CN': '确认倒回工作', en: 'Confirm switch to working' },
  needName: { 'zh-CN': '请先填写值班人姓名', en: 'Fill in your name first' },
  needText: { 'zh-CN': '请填写备注内容', en: 'Write the note first' },
  failedMsg: { 'zh-CN': '失败（{status}）：{msg}', en: 'failed ({status}): {msg}' },
  ackDone: { 'zh-CN': '工单 {id} 已确认（{by}），状态：{state}', en: 'ticket {id} acknowledged by {by}, now {state}' },
  closeDone: { 'zh-CN': '工单 {id} 已关闭（{by}），状态：{state}', en: 'ticket {id} closed by {by}, now {state}' },
  noteDone: { 'zh-CN': '备注已记入工单 {id} 日志', en: 'note added to the journal of ticket {id}' },
  alarmAckDone: { 'zh-CN': '告警 {id} 已确认（{by}）', en: 'alarm {id} acknowledged by {by}' },
  switchDone: { 'zh-CN': '{id}：{from} → {to}，现走{path}通道', en: '{id}: {from} → {to}, now on the {path} path' },
  switchSame: {
    'zh-CN': '{id}：服务端回复状态未变（仍为 {state}，{path}通道）',
    en: '{id}: the service reports no change (still {state}, on {path})',
  },
  // circuits
  circuit: { 'zh-CN': '电路', en: 'Circuit' },
  customer: { 'zh-CN': '客户', en: 'Customer' },
  state: { 'zh-CN': '状态', en: 'State' },
  path: { 'zh-CN': '通道', en: 'Path' },
  working: { 'zh-CN': '工作', en: 'working' },
  protection: { 'zh-CN': '保护', en: 'protection' },
  noSafetyNet: { 'zh-CN': '另一通道也有故障：无保护', en: 'the other path has a fault: no protection left' },
  wtrLeft: { 'zh-CN': '回切倒计时 {t}', en: 'reverts in {t}' },
  switchTimer: { 'zh-CN': '{t} 后判倒换失败', en: 'switch-failed in {t}' },
  batteryLeft: { 'zh-CN': '电池剩余 {t}', en: 'battery {t} left' },
  batteryOut: { 'zh-CN': '电池应已耗尽', en: 'battery should be exhausted' },
  confirmedBy: { 'zh-CN': '{by} 确认', en: 'confirmed by {by}' },
  selectCircuit: {
    'zh-CN': '点选电路在图上显示工作/保护通道',
    en: 'select a circuit to draw its working and protection paths',
  },
  routeOf: { 'zh-CN': '{id} 路由：实线为在用通道', en: '{id} route: the active path is solid' },
  routeClear: { 'zh-CN': '取消显示', en: 'hide route' },
  // map legend and statuses
  ok: { 'zh-CN': '正常', en: 'ok' },
  cut: { 'zh-CN': '中断', en: 'cut' },
  'one-fibre': { 'zh-CN': '单纤', en: 'one fibre' },
  degraded: { 'zh-CN': '劣化', en: 'degraded' },
  down: { 'zh-CN': '中断', en: 'down' },
  failedNode: { 'zh-CN': '网元失效', en: 'NE failed' },
  boardFault: { 'zh-CN': '板卡故障', en: 'board fault' },
  battery: { 'zh-CN': '蓄电池供电', en: 'on battery' },
  shared: { 'zh-CN': '环间节点', en: 'interconnect node' },
  spur: { 'zh-CN': '支链', en: 'spur' },
  access: { 'zh-CN': '接入光缆', en: 'access link' },
  cpe: { 'zh-CN': '用户端设备', en: 'customer end' },
  cpeFailed: { 'zh-CN': '用户端故障', en: 'customer end failed' },
  workingPath: { 'zh-CN': '工作通道', en: 'working path' },
  protectPath: { 'zh-CN': '保护通道', en: 'protection path' },
  // incident kinds
  'span-cut': { 'zh-CN': '光缆中断', en: 'Span cut' },
  'node-failure': { 'zh-CN': '网元故障', en: 'Node failure' },
  'site-power-failure': { 'zh-CN': '基站停电', en: 'Site power failure' },
  'access-fiber-cut': { 'zh-CN': '接入光缆中断', en: 'Access fibre cut' },
  'cpe-failure': { 'zh-CN': '用户端设备故障', en: 'CPE failure' },
  'e1-tributary-fault': { 'zh-CN': '2M 支路故障', en: '2M tributary fault' },
  'customer-equipment-fault': { 'zh-CN': '客户侧设备故障', en: 'Customer equipment fault' },
  'equipment-fault': { 'zh-CN': '板卡故障', en: 'Board failure' },
  unclassified: { 'zh-CN': '未归类', en: 'Unclassified' },
  // circuit states
  'st-ok': { 'zh-CN': '正常', en: 'ok' },
  'st-switch-required': { 'zh-CN': '待倒换', en: 'switch required' },
  'st-on-protection': { 'zh-CN': '保护通道运行', en: 'on protection' },
  'st-switch-failed': { 'zh-CN': '倒换失败', en: 'switch failed' },
  'st-down': { 'zh-CN': '中断', en: 'down' },
  'st-wtr': { 'zh-CN': '等待恢复', en: 'wait-to-restore' },
  'st-at-risk': { 'zh-CN': '停电风险', en: 'at risk' },
  // per-circuit impact (contract 2)
  'im-down': { 'zh-CN': '中断', en: 'down' },
  'im-switch-failed': { 'zh-CN': '倒换失败', en: 'switch failed' },
  'im-switch-required': { 'zh-CN': '待倒换', en: 'switch required' },
  'im-switched': { 'zh-CN': '已倒换', en: 'switched' },
  'im-protection-lost': { 'zh-CN': '失去保护', en: 'without protection' },
  'im-at-risk': { 'zh-CN': '有风险', en: 'at risk' },
  // ticket states and escalation groups
  'tk-open': { 'zh-CN': '待处理', en: 'open' },
  'tk-acknowledged': { 'zh-CN': '已确认', en: 'acknowledged' },
  'tk-resolved': { 'zh-CN': '已恢复', en: 'resolved' },
  'tk-closed': { 'zh-CN': '已关闭', en: 'closed' },
  'esc-duty': { 'zh-CN': '24 小时值班', en: 'NOC duty' },
  'esc-implementation': { 'zh-CN': '应急预案实施小组', en: 'implementation group' },
  'esc-leadership': { 'zh-CN': '应急领导小组', en: 'emergency leadership' },
  // roles
  'role-viewer': { 'zh-CN': '只读', en: 'viewer' },
  'role-integration': { 'zh-CN': '系统对接', en: 'integration' },
  'role-operator': { 'zh-CN': '值班员', en: 'operator' },
  'role-engineer': { 'zh-CN': '传输工程师', en: 'engineer' },
  'role-open': { 'zh-CN': '未启用鉴权', en: 'no auth' },
  // journal actions (contract 2 `journal[].action`; unknown ones are shown as sent)
  'j-created': { 'zh-CN': '生成工单', en: 'created' },
  'j-priority': { 'zh-CN': '优先级变化', en: 'priority changed' },
  'j-impact': { 'zh-CN': '影响变化', en: 'impact changed' },
  'j-kind': { 'zh-CN': '故障类型变化', en: 'kind changed' },
  'j-escalated': { 'zh-CN': '升级', en: 'escalated' },
  'j-acknowledged': { 'zh-CN': '确认', en: 'acknowledged' },
  'j-note': { 'zh-CN': '备注', en: 'note' },
  'j-switchover': { 'zh-CN': '确认倒换', en: 'switchover confirmed' },
  'j-notified': { 'zh-CN': '已通知', en: 'notified' },
  'j-resolved': { 'zh-CN': '已恢复', en: 'resolved' },
  'j-reopened': { 'zh-CN': '重新打开', en: 'reopened' },
  'j-closed': { 'zh-CN': '关闭', en: 'closed' },
  'j-planned': { 'zh-CN': '计划内割接', en: 'planned work' },
  'j-overran': { 'zh-CN': '割接超时未恢复', en: 'planned work overran' },
  'by-ringguard': { 'zh-CN': '系统', en: 'ringguard' },
} satisfies Record<string, Entry>;

export type Key = keyof typeof TEXT;

const plural = new Map<Lang, Intl.PluralRules>();

/** The text for `key` in `lang`, {placeholders} filled; `n` picks the plural form. */
export function text(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  let s: string = TEXT[key][lang];
  if (s.includes('|')) {
    const forms = s.split('|');
    const n = Number(vars.n ?? 0);
    if (!plural.has(lang)) plural.set(lang, new Intl.PluralRules(lang));
    s = plural.get(lang)!.select(n) === 'one' ? forms[0] : forms[forms.length - 1];
  }
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** A key when the table has it (for words that come from the API, such as journal actions). */
export function known(key: string): key is Key {
  return Object.prototype.hasOwnProperty.call(TEXT, key);
}

const rel = new Map<Lang, Intl.RelativeTimeFormat>();

/** "3 分钟前" / "3 minutes ago", from milliseconds between then and now (negative: past). */
export function relative(lang: Lang, deltaMs: number): string {
  if (!rel.has(lang)) rel.set(lang, new Intl.RelativeTimeFormat(lang, { numeric: 'always', style: 'long' }));
  const f = rel.get(lang)!;
  const s = Math.round(deltaMs / 1000);
  const a = Math.abs(s);
  if (a < 60) return f.format(s, 'second');
  if (a < 3600) return f.format(Math.trunc(s / 60), 'minute');
  if (a < 86_400) return f.format(Math.trunc(s / 3600), 'hour');
  return f.format(Math.trunc(s / 86_400), 'day');
}

/** A countdown "1:04:09" / "4:09" (never negative). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
