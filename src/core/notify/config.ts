// The `notify` section of the config file (contract 2 §8): receivers, routes, grouping,
// reminders, retries. zod is the single source of the keys; the README lists them.
import { z } from 'zod';
import { INCIDENT_KINDS, TICKET_PRIORITIES } from '../model.js';
import { GROUPS } from './roster.js';

export const NOTIFY_EVENTS = ['opened', 'escalated', 'reminder', 'resolved', 'digest'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export const CHANNELS = ['webhook', 'wecom', 'dingtalk', 'email', 'sms'] as const;
export type ChannelType = (typeof CHANNELS)[number];

const ms = (def: number) => z.coerce.number().int().min(0).default(def);
const lang = z.enum(['zh-CN', 'en']).optional();
const url = z.url({ protocol: /^https?$/ });
const headers = z.record(z.string(), z.string()).default({});

const base = {
  name: z.string().trim().min(1).describe('unique; routes name it'),
  language: lang.describe('message language (default: notify.language)'),
  timeoutMs: z.coerce.number().int().min(100).default(5000).describe('per delivery attempt'),
};
/** Email and SMS go to fixed addresses (`to`) and, with `roster: true`, to the people on duty in the message's group. */
const people = {
  to: z.array(z.string().trim().min(1)).default([]).describe('fixed addresses or phone numbers'),
  roster: z.boolean().default(true).describe("also the people on duty in the message's group"),
};

export const ReceiverSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...base,
      type: z.literal('webhook'),
      url: url.describe('POST JSON { id, event, tickets, level, group, text } here'),
      secret: z.string().optional().describe('signs the body: X-Ringguard-Signature: sha256=<HMAC-SHA256>'),
      headers: headers.describe('extra HTTP headers'),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('wecom'),
      url: url.optional().describe('group robot webhook URL (or key)'),
      key: z.string().min(1).optional().describe('robot key (or url)'),
      mention: z.boolean().default(true).describe('@-mention the people on duty (their roster WeCom id)'),
    })
    .strict()
    .refine((r) => r.url || r.key, { message: 'needs url or key', path: ['url'] }),
  z
    .object({
      ...base,
      type: z.literal('dingtalk'),
      url: url.optional().describe('robot webhook URL (or accessToken)'),
      accessToken: z.string().min(1).optional().describe('robot access token (or url)'),
      secret: z.string().optional().describe('robot signing secret, when the robot has one'),
      mention: z.boolean().default(true).describe('@-mention the people on duty (roster dingtalk or phone)'),
    })
    .strict()
    .refine((r) => r.url || r.accessToken, { message: 'needs url or accessToken', path: ['url'] }),
  z
    .object({
      ...base,
      ...people,
      type: z.literal('email'),
      host: z.string().min(1).describe('SMTP server'),
      port: z.coerce.number().int().min(1).max(65535).default(587).describe('SMTP port'),
      secure: z.boolean().default(false).describe('TLS from the first byte (port 465)'),
      starttls: z.boolean().default(true).describe('require STARTTLS when not secure'),
      tlsRejectUnauthorized: z
        .boolean()
        .default(true)
        .describe('false accepts a server certificate that does not verify'),
      user: z.string().optional().describe('SMTP login'),
      pass: z.string().optional().describe('SMTP password'),
      from: z.string().min(3).describe('sender address'),
    })
    .strict(),
  z
    .object({
      ...base,
      ...people,
      type: z.literal('sms'),
      url: url.describe("the SMS gateway's HTTP API"),
      method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
      headers: headers.describe('extra HTTP headers (e.g. the gateway token)'),
      body: z
        .record(z.string(), z.string())
        .default({ to: '{{phone}}', text: '{{text}}' })
        .describe('JSON body template; {{phone}} and {{text}} are filled in'),
    })
    .strict(),
]);
export type ReceiverConfig = z.infer<typeof ReceiverSchema>;

export const MatchSchema = z
  .object({
    priority: z.array(z.enum(TICKET_PRIORITIES)).optional().describe("the ticket's priority is one of these"),
    kind: z.array(z.enum(INCIDENT_KINDS)).optional().describe('the incident kind is one of these'),
    level: z.array(z.coerce.number().int().min(1).max(3)).optional().describe('the escalation level is one of these'),
    group: z.array(z.enum(GROUPS)).optional().describe('the escalation group is one of these'),
    planned: z.boolean().optional().describe('planned tickets are never sent; false matches unplanned ones'),
    customer: z.array(z.string()).optional().describe("one of the ticket's customers is one of these"),
  })
  .strict();
export type Match = z.infer<typeof MatchSchema>;

export const RouteSchema = z
  .object({
    match: MatchSchema.default({}).describe('every key given must match; {} matches all'),
    receivers: z.array(z.string().min(1)).min(1).describe('receiver names'),
  })
  .strict();
export type Route = z.infer<typeof RouteSchema>;

export const NotifyConfigSchema = z
  .object({
    receivers: z.array(ReceiverSchema).default([]).describe('where messages go (one entry per receiver, by type)'),
    routes: z.array(RouteSchema).optional().describe('first match wins; without routes every receiver gets P1-P3'),
    groupWaitMs: ms(10_000).describe('tickets opened within this window go out as one digest per receiver'),
    reminderMs: ms(1_800_000).describe('repeat for unacknowledged P1 tickets; 0 = never'),
    language: z.enum(['zh-CN', 'en']).default('zh-CN').describe('message language'),
    pageUrl: url.optional().describe('the NOC page, for links in messages'),
    retry: z
      .object({
        initialMs: ms(1000).describe('first retry after this'),
        maxMs: ms(300_000).describe('backoff doubles up to this'),
        maxAttempts: ms(0).describe('0 = until delivered'),
      })
      .strict()
      .default({ initialMs: 1000, maxMs: 300_000, maxAttempts: 0 })
      .describe('delivery retries with backoff (anything but a 2xx is retried)'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.receivers.forEach((r, i) => {
      if (names.has(r.name))
        ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `duplicate receiver "${r.name}"` });
      names.add(r.name);
    });
    c.routes?.forEach((route, i) =>
      route.receivers.forEach((n, j) => {
        if (!names.has(n))
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'receivers', j],
            message: `receiver "${n}" is not in notify.receivers`,
          });
      }),
    );
  });
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

/** Without `routes`, every receiver gets P1-P3; P4 pages nobody. */
export function routesOf(c: NotifyConfig): Route[] {
  return (
    c.routes ??
    (c.receivers.length ? [{ match: { priority: ['P1', 'P2', 'P3'] }, receivers: c.receivers.map((r) => r.name) }] : [])
  );
}
