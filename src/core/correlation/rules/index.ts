// Rules in the order they are tried on a root-candidate alarm: the first that matches decides.
import type { Rule } from '../types.js';
import { accessFiberCut } from './access-fiber-cut.js';
import { cpeFailure } from './cpe-failure.js';
import { customerEquipmentFault } from './customer-equipment-fault.js';
import { e1TributaryFault } from './e1-tributary-fault.js';
import { equipmentFault } from './equipment-fault.js';
import { nodeFailure } from './node-failure.js';
import { sitePowerFailure } from './site-power-failure.js';
import { spanCut } from './span-cut.js';
import { unclassified } from './unclassified.js';

export const RULES: readonly Rule[] = [
  sitePowerFailure,
  cpeFailure,
  nodeFailure,
  accessFiberCut,
  spanCut,
  customerEquipmentFault,
  equipmentFault,
  e1TributaryFault,
];
export { unclassified };
