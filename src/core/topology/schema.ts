// Topology file shape (contract section 3). Pure: no IO here.
import { z } from 'zod';

const id = z.string().min(1, 'must be a non-empty id');
const port = z.union([z.string().min(1), z.number()]).transform((p) => String(p));

export const MgmtSchema = z.union([
  z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(161),
    version: z.literal(3),
    user: z.string().min(1),
    authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
    authKey: z.string().optional(),
    privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).optional(),
    privKey: z.string().optional(),
  }),
  z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(161),
    version: z.union([z.literal(1), z.literal(2), z.literal('2c')]).optional(),
    community: z.string().default('public'),
  }),
]);
export type Mgmt = z.infer<typeof MgmtSchema>;

export const SiteSchema = z.object({
  id,
  name: z.string().optional(),
  batteryMinutes: z.number().nonnegative().optional(),
});

export const NodeSchema = z.object({
  id,
  name: z.string().optional(),
  site: z.string().nullable().optional(),
  mgmt: MgmtSchema.optional(),
});

const EndSchema = z.object({ node: id, port });

export const SpanSchema = z.object({
  id,
  a: EndSchema,
  z: EndSchema,
  cable: z.string().optional(),
  km: z.number().nonnegative().optional(),
});

export const ProtectionSchema = z.enum(['ms-spring', 'sncp', 'none']);
export type Protection = z.infer<typeof ProtectionSchema>;

export const RingSchema = z.object({
  id,
  name: z.string().optional(),
  protection: ProtectionSchema,
  rate: z.string().optional(),
  spans: z.array(id).min(2, 'a ring needs at least 2 spans'),
});

export const EquipmentKindSchema = z.enum(['cpe-sdh', 'cpe-pdh', 'protocol-converter', 'router']);
export type EquipmentKind = z.infer<typeof EquipmentKindSchema>;

export const EquipmentSchema = z.object({
  id,
  kind: EquipmentKindSchema,
  name: z.string().optional(),
  site: z.string().nullable().optional(),
  mgmt: MgmtSchema.optional(),
});

export const AccessLinkSchema = z.object({
  id,
  node: id,
  port,
  cpe: id,
  cable: z.string().optional(),
  km: z.number().nonnegative().optional(),
});

const DropSchema = z.object({
  node: id,
  port,
  channel: z.number().int().positive().optional(),
});

export const CircuitSchema = z.object({
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
});

export const TopologySchema = z.object({
  network: z.string().min(1),
  sites: z.array(SiteSchema).default([]),
  nodes: z.array(NodeSchema).min(1, 'at least one node is required'),
  spans: z.array(SpanSchema).default([]),
  rings: z.array(RingSchema).default([]),
  equipment: z.array(EquipmentSchema).default([]),
  accessLinks: z.array(AccessLinkSchema).default([]),
  circuits: z.array(CircuitSchema).default([]),
});

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
