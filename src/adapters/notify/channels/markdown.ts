// Markdown for the group robots: the subject in bold, the rest as lines, cut to a byte budget.
import type { Outgoing } from './types.js';

export function markdown(m: Outgoing, maxBytes: number, tail = ''): string {
  const [, ...rest] = m.payload.text.split('\n');
  let body = [`**${m.subject}**`, ...rest].join('\n\n');
  const budget = maxBytes - Buffer.byteLength(tail) - 8;
  if (Buffer.byteLength(body) > budget)
    body =
      Buffer.from(body)
        .subarray(0, budget)
        .toString('utf8')
        .replace(/\uFFFD+$/, '') + ' …';
  return body + tail;
}
