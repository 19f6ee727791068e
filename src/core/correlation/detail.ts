// `detail` of an incident, typed per kind: what each rule says about the fault it found. The
// served view keeps it as an open record (additive for clients); the rules are held to these.
import type { IncidentKind } from '../model.js';

export interface DetailByKind {
  'span-cut': {
    fibres: 'both' | 'one';
    evidence: 'los-both-ends' | 'los-and-far-end-ms-rdi' | 'los-one-end';
    ring: string | null;
    cable: string | null;
    km: number | null;
  };
  'node-failure': { node: string; neighbours: string[]; unreachable: boolean };
  'site-power-failure': {
    site: string | null;
    siteName: string | null;
    batteryMinutes: number | null;
    powerFailAt: string;
    batteryEndsAt: string | null;
    /** Nodes of the site that died (battery exhausted). */
    nodesDown: string[];
  };
  'access-fiber-cut': { accessLink: string; cable: string | null; km: number | null; port: string; cpe: string };
  'cpe-failure': { cpe: string; cpeKind: string | null; reason: string };
  'e1-tributary-fault': { circuit: string; customer: string; drop: string; farEnd: string };
  'customer-equipment-fault': { equipment: string; equipmentKind: string; reason: string };
  'equipment-fault': { node: string; boards: string[]; span?: string };
  unclassified: {
    types: string[];
    hint: string;
    /** A degrading span (marked `degraded`, never cut). */
    span?: string;
    degrade?: boolean;
    /** Only the management channel is lost (no traffic impact). */
    management?: boolean;
  };
}

/** Set on any kind: the root alarm flaps. */
export interface CommonDetail {
  flapping?: boolean;
}

export type Detail<K extends IncidentKind = IncidentKind> = DetailByKind[K] & CommonDetail;
