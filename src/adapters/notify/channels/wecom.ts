// WeCom (企业微信) group robot: markdown message; people on duty are mentioned by WeCom id.
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { request } from './http.js';
import { markdown } from './markdown.js';
import type { Channel } from './types.js';

export function wecom(cfg: Extract<ReceiverConfig, { type: 'wecom' }>): Channel {
  const url = cfg.url ?? `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${encodeURIComponent(cfg.key!)}`;
  return (m) => {
    const ids = cfg.mention ? m.onDuty.map((p) => p.wecom).filter((x): x is string => !!x) : [];
    const content = markdown(m, 4096, ids.length ? '\n\n' + ids.map((id) => `<@${id}>`).join(' ') : '');
    return request({
      url,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
      timeoutMs: cfg.timeoutMs,
      errcode: true,
    });
  };
}
