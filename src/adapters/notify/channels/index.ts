// One channel per receiver, by type.
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { dingtalk } from './dingtalk.js';
import { email } from './email.js';
import { sms } from './sms.js';
import type { Channel } from './types.js';
import { webhook } from './webhook.js';
import { wecom } from './wecom.js';

export function makeChannel(cfg: ReceiverConfig): Channel & { close?(): void } {
  switch (cfg.type) {
    case 'webhook':
      return webhook(cfg);
    case 'wecom':
      return wecom(cfg);
    case 'dingtalk':
      return dingtalk(cfg);
    case 'email':
      return email(cfg);
    case 'sms':
      return sms(cfg);
  }
}
