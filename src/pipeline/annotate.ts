// annotate: what people added to alarms (acknowledgements) is shown on every alarm view the
// pipeline publishes. Runs after the correlator, so the ledger stays about raises and clears.
import { map, type OperatorFunction } from 'rxjs';
import type { AlarmAcks } from '../core/alarms/acks.js';
import type { AlarmLedger } from '../core/alarms/ledger.js';
import type { Step } from './stages.js';

export function annotateAlarms(acks: AlarmAcks, ledger: AlarmLedger): OperatorFunction<Step, Step> {
  return map((step) => {
    const cmd = step.command;
    if (cmd?.kind === 'ack-alarm') {
      const a = ledger.get(cmd.alarm);
      const r = acks.ack(a ? ledger.view(a) : cmd.view, cmd.alarm, cmd.by, step.now);
      step.result = r;
      if (r.ok) step.alarms.set(r.alarm.id, r.alarm);
    }
    for (const [id, a] of step.alarms) step.alarms.set(id, acks.show(a));
    return step;
  });
}
