// Runbooks, one entry per incident kind, in zh-CN (default) and en. Data, not code:
// `{name}` placeholders are filled from the incident (span, cable, battery time, ...).
import type { IncidentKind } from '../model.js';

export type Lang = 'zh-CN' | 'en';

export interface RunbookEntry {
  title: Record<Lang, string>;
  steps: Record<Lang, string[]>;
}

export const RUNBOOKS: Record<IncidentKind, RunbookEntry> = {
  'span-cut': {
    title: {
      'zh-CN': '光缆中断：段 {span}（{where}），{fibres}，{impacts}',
      en: 'Fibre cut on span {span} ({where}), {fibresEn}; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '24 小时值班确认告警：{span} 两端 LOS/MS-RDI，光缆 {cable}（{km} km）。',
        '确认重要专线已自动保护倒换（大客户专线优先）；未倒换的电路立即人工倒换抢通，并在 ringguard 中确认倒换。',
        '通知代维与传输工程师，用 OTDR（光时域反射仪）从两端测试，定位断点。',
        '赶赴现场熔接断纤，熔接后测试收光正常、光告警消失。',
        '确认业务恢复并按回切策略（等待恢复 WTR）回到工作通道，向客响中心通报。',
      ],
      en: [
        'Duty NOC: confirm the alarms on both ends of {span} (LOS / MS-RDI), cable {cable} ({km} km).',
        'Confirm the important circuits switched to protection automatically (VIP first); switch any that did not by hand and confirm it in ringguard.',
        'Call the maintenance contractor and transmission engineers; locate the break with an OTDR from both ends.',
        'Splice the cut fibre on site; check the receive light is normal and the optical alarms clear.',
        'Confirm service, let revertive circuits return to working after wait-to-restore, report to the customer-response centre.',
      ],
    },
  },
  'node-failure': {
    title: {
      'zh-CN': '网元故障：节点 {node} 失效，{impacts}',
      en: 'Node failure: {node} is down; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {node} 所有环上相邻节点均报 LOS，网元管理中断（脱管）。',
        '确认经过 {node} 的重要专线已完成保护倒换；以 {node} 为落地点的专线无法保护，立即通知客响中心。',
        '检查站点供电与设备指示灯，远程无法恢复时派人到站。',
        '重启或更换失效网元/主控板，恢复配置后确认业务与保护状态。',
        '请示汇报：大客户专线中断时报应急预案实施小组。',
      ],
      en: [
        'Confirm every ring neighbour of {node} reports LOS towards it and its management is lost.',
        'Confirm the important circuits passing {node} have switched; circuits dropped at {node} cannot be protected: tell the customer-response centre now.',
        'Check site power and the NE lamps; send someone to site if it cannot be recovered remotely.',
        'Restart or replace the failed NE / control board, restore its configuration, confirm service and protection.',
        'Report to the implementation group when VIP dedicated lines are down.',
      ],
    },
  },
  'site-power-failure': {
    title: {
      'zh-CN': '基站停电：{site} 市电中断，蓄电池约 {batteryMinutes} 分钟，{impacts}',
      en: 'Mains failure at {site}, battery about {batteryMinutes} minutes; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {site} 市电停电告警，记录停电时间 {powerFailAt}。',
        '立即派移动油机前往 {site}，蓄电池预计 {batteryEndsAt} 耗尽。',
        '联系供电部门了解停电原因与恢复时间。',
        '持续监视蓄电池电压与节点状态；节点掉电后确认专线已倒换。',
        '油机发电或市电恢复后确认告警清除、业务正常。',
      ],
      en: [
        'Confirm the mains failure at {site}; power failed at {powerFailAt}.',
        'Dispatch a mobile generator to {site} now; the battery is expected to run out at {batteryEndsAt}.',
        'Call the power company for the cause and restoration time.',
        'Watch battery voltage and node status; if the node goes down, confirm the circuits switched.',
        'When the generator runs or mains returns, confirm alarms cleared and service is normal.',
      ],
    },
  },
  'access-fiber-cut': {
    title: {
      'zh-CN': '接入光缆中断：{accessLink}（{cable}），客户 {customers}，{impacts}',
      en: 'Access fibre cut: {accessLink} ({cable}), customer {customers}; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {node} 接入端口 {port} LOS，用户端设备 {cpe} 无掉电告警。',
        '通知客响中心与客户，专线中断。',
        '用 OTDR 沿接入光缆 {cable} 测试，定位断点。',
        '熔接断纤；检查收光，必要时尾纤收发互换，直至光告警消失。',
        '确认业务恢复，向客户确认。',
      ],
      en: [
        'Confirm LOS on {node} access port {port} and no power alarm from the customer unit {cpe}.',
        'Tell the customer-response centre and the customer the line is down.',
        'Run an OTDR along access cable {cable} to locate the break.',
        'Splice the break; check the receive light, swap Tx/Rx pigtails if needed, until the optical alarm clears.',
        'Confirm service with the customer.',
      ],
    },
  },
  'cpe-failure': {
    title: {
      'zh-CN': '用户端设备故障：{cpe}（{cpeKind}），客户 {customers}，{impacts}',
      en: 'Customer-end unit failed: {cpe} ({cpeKind}), customer {customers}; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {cpe} 报 {reason}，联系客户检查设备供电。',
        '带备用光端机（用户端 SDH/PDH 设备）到客户现场。',
        '记录原设备指示灯状态，断电，拆下尾纤与 2M 线。',
        '更换设备，按原位置接好尾纤与 2M 线，上电。',
        '检查指示灯与收光正常、业务恢复，向客户确认。',
      ],
      en: [
        'Confirm {cpe} reported {reason}; ask the customer to check its power.',
        'Take a spare customer-end SDH/PDH unit to the customer site.',
        'Note the lamps of the old unit, power it off, remove the pigtails and 2M cables.',
        'Fit the new unit, move the pigtails and 2M cables to the same positions, power on.',
        'Check lamps and receive light are normal and service is back; confirm with the customer.',
      ],
    },
  },
  'e1-tributary-fault': {
    title: {
      'zh-CN': '2M 支路故障：{circuit}（{customers}），传输通道正常，{impacts}',
      en: '2M tributary fault on {circuit} ({customers}), transport clean; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {drop} 2M 告警，传输通道无故障（远端 E1-AIS 为伴随告警）。',
        '检查 DDF 与设备侧 2M 头是否松动、氧化。',
        '在协议转换器处做 2M 自环（本地环测），判断故障在局端还是客户侧。',
        '更换 2M 线。',
        '检查客户终端设备（协转、路由器）并确认业务恢复。',
      ],
      en: [
        'Confirm the 2M alarm at {drop} with a clean transport path (the far end E1-AIS is its symptom).',
        'Check the 2M connectors at the DDF and the equipment for loose or corroded heads.',
        'Self-loop the 2M at the protocol converter (local loop test) to find which side is at fault.',
        'Replace the 2M cable.',
        'Check the customer terminal (protocol converter, router) and confirm service.',
      ],
    },
  },
  'customer-equipment-fault': {
    title: {
      'zh-CN': '客户侧设备故障：{equipment}，传输与 2M 正常，{impacts}',
      en: 'Customer equipment fault: {equipment}, transport and 2M clean; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认传输与 2M 无告警，{equipment} 报 {reason}。',
        '检查协议转换器拨码开关设置与指示灯。',
        '对路由器做环回测试（自环），确认线路侧正常。',
        '重启协议转换器与路由器。',
        '仍不恢复则更换协转或路由器，确认业务恢复。',
      ],
      en: [
        'Confirm transport and 2M are clean and {equipment} reports {reason}.',
        'Check the protocol converter DIP switches and lamps.',
        'Loop-test the router to prove the line side.',
        'Restart the protocol converter and the router.',
        'If still down, replace the converter or router; confirm service.',
      ],
    },
  },
  'equipment-fault': {
    title: {
      'zh-CN': '设备板卡故障：{node} {boards}，{impacts}',
      en: 'Board failure on {node}: {boards}; {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '确认 {node} 板卡 {boards} 硬件告警。',
        '确认受影响专线已倒换；无保护的电路通知客响中心。',
        '准备备板，联系厂家技术支持。',
        '更换板卡，恢复配置，确认告警清除与业务正常。',
      ],
      en: [
        'Confirm the hardware alarm on {node} board {boards}.',
        'Confirm affected circuits switched; tell the customer-response centre about unprotected ones.',
        'Get a spare board, call vendor support.',
        'Replace the board, restore configuration, confirm alarms cleared and service normal.',
      ],
    },
  },
  unclassified: {
    title: {
      'zh-CN': '未归类告警：{where}（{types}），{impacts}',
      en: 'Unclassified alarms at {where} ({types}); {impactsEn}',
    },
    steps: {
      'zh-CN': [
        '值班人员人工研判告警 {types}（{hint}）。',
        '无法判断时立即请示汇报，按应急预案升级。',
        '结合网管与现场情况定位后，按对应预案处理。',
      ],
      en: [
        'Duty NOC: judge the alarms {types} by hand ({hint}).',
        'What cannot be judged is reported upwards at once, per the emergency plan.',
        'Once located with the NMS and on site, follow the matching procedure.',
      ],
    },
  },
};

/** Fills `{name}` placeholders; unknown names stay visible as `?`. */
export function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '?');
}
