// Topology file shape (contract section 3). Pure: no IO here.
import { z } from 'zod';

const id = z.string().min(1, 'must be a non-empty id');
const port = z.union([z.string().min(1), z.number()]).transform((p) => String(p));

const authProtocol = z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']);
const privProtocol = z.enum(['des', 'aes', 'aes256b', 'aes256r']);
const V3_KEYS = ['user', 'authProtocol', 'authKey', 'privProtocol', 'privKey'] as const;

type MgmtV3 = {
  host: string;
  port: number;
  version: 3;
  user: string;
  authProtocol?: z.infer<typeof authProtocol>;
  authKey?: string;
  privProtocol?: z.infer<typeof privProtocol>;
  privKey?: string;
};
type MgmtV12 = { host: string; port: number; version?: 1 | 2 | '2c'; community: string };

/**
 * One strict object for both kinds (so an unknown key such as `comunity` is named, with a
 * suggestion), then checked by version: v3 needs `user` and takes no community; v1/v2c take
 * no USM keys.
 */
export const MgmtSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(161),
    version: z.union([z.literal(1), z.literal(2), z.literal('2c'), z.literal(3)]).optional(),
    community: z.string().optional(),
    user: z.string().min(1).optional(),
    authProtocol: authProtocol.optional(),
    authKey: z.string().optional(),
    privProtocol: privProtocol.optional(),
    privKey: z.string().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.version === 3) {
      if (!m.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'SNMPv3 (version: 3) needs a user' });
      if (m.community !== undefined)
        ctx.addIssue({ code: 'custom', path: ['community'], message: 'SNMPv3 uses user, not community' });
    } else {
      for (const k of V3_KEYS)
        if (m[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} needs version: 3` });
    }
  })
  .transform((m): MgmtV3 | MgmtV12 =>
    m.version === 3
      ? {
          host: m.host,
          port: m.port,
          version: 3,
          user: m.user!,
          authProtocol: m.authProtocol,
          authKey: m.authKey,
          privProtocol: m.privProtocol,
          privKey: m.privKey,
        }
      : {
          host: m.host,
          port: m.port,
          ...(m.version !== undefined ? { version: m.version } : {}),
          community: m.community ?? 'public',
        },
  );
export type Mgmt = z.infer<typeof MgmtSchema>;

export const SiteSchema = z
  .object({
    id,
    name: z.string().optional(),
    batteryMinutes: z.number().nonnegative().optional(),
  })
  .strict();

export const NodeSchema = z
  .object({
    id,
    name: z.string().optional(),
    site: z.string().nullable().optional(),
    mgmt: MgmtSchema.optional(),
  })
  .strict();

const EndSchema = z.object({ node: id, port }).strict();

export const SpanSchema = z
  .object({
    id,
    a: EndSchema,
    z: EndSchema,
    cable: z.string().optional(),
    km: z.number().nonnegative().optional(),
  })
  .strict();

export const ProtectionSchema = z.enum(['ms-spring', 'sncp', 'none']);
export type Protection = z.infer<typeof ProtectionSchema>;

export const RingSchema = z
  .object({
    id,
    name: z.string().optional(),
    protection: ProtectionSchema,
    rate: z.string().optional(),
    spans: z.array(id).min(2, 'a ring needs at least 2 spans'),
  })
  .strict();

export const EquipmentKindSchema = z.enum(['cpe-sdh', 'cpe-pdh', 'protocol-converter', 'router']);
export type EquipmentKind = z.infer<typeof EquipmentKindSchema>;

export const EquipmentSchema = z
  .object({
    id,
    kind: EquipmentKindSchema,
    name: z.string().optional(),
    site: z.string().nullable().optional(),
    mgmt: MgmtSchema.optional(),
  })
  .strict();

export const AccessLinkSchema = z
  .object({
    id,
    node: id,
    port,
    cpe: id,
    cable: z.string().optional(),
    km: z.number().nonnegative().optional(),
  })
  .strict();

const DropSchema = z
  .object({
    node: id,
    port,
    channel: z.number().int().positive().optional(),
  })
  .strict();

export const CircuitSchema = z
  .object({
    id,
    customer: z.string().min(1),
    priority: z.enum(['vip', 'high', 'normal']),
    rate: z.string().min(1).default('E1'),
    a: DropSchema,
    z: DropSchema,
    working: z.array(id).default([]),
    protect: z.array(id).optional(),
    protection: ProtectionSchema,
    revertive: z.boolean().optional(),
    access: z.array(id).optional(),
    equipment: z.array(id).optional(),
  })
  .strict();

export const TopologySchema = z
  .object({
    network: z.string().min(1),
    sites: z.array(SiteSchema).default([]),
    nodes: z.array(NodeSchema).min(1, 'at least one node is required'),
    spans: z.array(SpanSchema).default([]),
    rings: z.array(RingSchema).default([]),
    equipment: z.array(EquipmentSchema).default([]),
    accessLinks: z.array(AccessLinkSchema).default([]),
    circuits: z.array(CircuitSchema).default([]),
  })
  .strict();

export type TopologyInput = z.input<typeof TopologySchema>;
export type Topology = z.infer<typeof TopologySchema>;
export type Site = z.infer<typeof SiteSchema>;
export type TNode = z.infer<typeof NodeSchema>;
export type Span = z.infer<typeof SpanSchema>;
export type Ring = z.infer<typeof RingSchema>;
export type Equipment = z.infer<typeof EquipmentSchema>;
export type AccessLink = z.infer<typeof AccessLinkSchema>;
export type Circuit = z.infer<typeof CircuitSchema>;
export type Drop = z.infer<typeof DropSchema>;
