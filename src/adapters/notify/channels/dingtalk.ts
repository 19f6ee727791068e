// DingTalk (钉钉) group robot: markdown message, @-mentions by mobile, and the signed secret
// (`timestamp` and `sign` = base64 HMAC-SHA256 of "timestamp\nsecret" in the URL).
import { createHmac } from 'node:crypto';
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { request } from './http.js';
import { markdown } from './markdown.js';
import type { Channel } from './types.js';

export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function dingtalk(cfg: Extract<ReceiverConfig, { type: 'dingtalk' }>, clock: () => number = Date.now): Channel {
  const base = cfg.url ?? `https://oapi.dingtalk.com/robot/send?access_token=${encodeURIComponent(cfg.accessToken!)}`;
  return (m) => {
    let url = base;
    if (cfg.secret) {
      const ts = clock();
      url += `${url.includes('?') ? '&' : '?'}timestamp=${ts}&sign=${encodeURIComponent(dingtalkSign(cfg.secret, ts))}`;
    }
    const mobiles = cfg.mention ? m.onDuty.map((p) => p.dingtalk ?? p.phone).filter((x): x is string => !!x) : [];
    const text = markdown(m, 5000, mobiles.length ? '\n\n' + mobiles.map((x) => `@${x}`).join(' ') : '');
    const body = {
      msgtype: 'markdown',
      markdown: { title: m.subject.slice(0, 64), text },
      at: { atMobiles: mobiles, isAtAll: false },
    };
    return request({ url, body: JSON.stringify(body), timeoutMs: cfg.timeoutMs, errcode: true });
  };
}
