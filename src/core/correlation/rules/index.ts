// Rules in the order they are tried on a root-candidate alarm: the first that matches decides.
import type { Rule } from '../types.js';
import { accessFiberCut } from './access-fiber-cut.js';
import { cpeFailure } from './cpe-failure.js';
import { degradedSpan } from './degraded-span.js';
import { customerEquipmentFault } from './customer-equipment-fault.js';
import { e1TributaryFault } from './e1-tributary-fault.js';
import { equipmentFault } from './equipment-fault.js';
import { managementFault } from './management-fault.js';
import { nodeFailure } from './node-failure.js';
import { sitePowerFailure } from './site-power-failure.js';
import { spanCut } from './span-cut.js';
import { unclassified } from './unclassified.js';

export const RULES: readonly Rule[] = [
  sitePowerFailure,
  cpeFailure,
  // Before the cable rules: a LOS caused by a failed line board is the board's symptom.
  equipmentFault,
  nodeFailure,
  accessFiberCut,
  spanCut,
  customerEquipmentFault,
  e1TributaryFault,
  degradedSpan,
  managementFault,
];
export { unclassified };
