// Mapping rules are data, loaded with the MIBs: `--mappings FILE` adds rules (or replaces
// built-in ones by name) and may name OIDs from MIB files placed next to it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { TrapSender, type Varbind } from '../src/adapters/snmp/sender.js';
import { waitFor } from './helpers/env.js';
import { startOnDemo } from './helpers/service.js';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { Mapper } from '../src/adapters/snmp/mapping.js';
import { DEMO } from './helpers/harness.js';

const graph = loadTopologyOrThrow(DEMO);

const ACME_MIB = `ACME-TRAP-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE, enterprises FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-TC;
acme MODULE-IDENTITY
    LAST-UPDATED "202611290000Z" ORGANIZATION "acme" CONTACT-INFO "acme" DESCRIPTION "test"
    ::= { enterprises 32473 9 }
acmeObjects OBJECT IDENTIFIER ::= { acme 1 }
acmeTraps OBJECT IDENTIFIER ::= { acme 0 }
acmeNe OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS accessible-for-notify STATUS current DESCRIPTION "ne" ::= { acmeObjects 1 }
acmePort OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS accessible-for-notify STATUS current DESCRIPTION "port" ::= { acmeObjects 2 }
acmeCause OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS accessible-for-notify STATUS current DESCRIPTION "cause" ::= { acmeObjects 3 }
acmeAlarm NOTIFICATION-TYPE OBJECTS { acmeNe, acmePort, acmeCause } STATUS current DESCRIPTION "alarm" ::= { acmeTraps 1 }
END
`;

function dirWith(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rg-map-'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

const vb = (oid: string, value: string) => ({ oid, value: Buffer.from(value) });

describe('mapping rules', () => {
  it('the built-in rules resolve the ringguard MIB, IF-MIB and SNMPv2-MIB names', () => {
    const m = new Mapper(graph);
    expect(m.ruleFor('1.3.6.1.4.1.32473.1.0.3')?.name).toBe('rgProtectionSwitch');
    expect(m.ruleFor('1.3.6.1.6.3.1.1.5.3')?.name).toBe('linkDown');
    expect(m.ruleFor('1.3.6.1.6.3.1.1.5.1')?.name).toBe('coldStart');
  });

  it('adds a vendor rule written against a vendor MIB next to the mappings file', () => {
    const d = dirWith({
      'ACME-TRAP-MIB.txt': ACME_MIB,
      'acme.yaml': `rules:
  - name: acme
    trap: ACME-TRAP-MIB::acmeAlarm
    action: raise
    node: { oid: ACME-TRAP-MIB::acmeNe }
    object: { oid: ACME-TRAP-MIB::acmePort }
    alarmName: { oid: ACME-TRAP-MIB::acmeCause, map: { "signal lost": R_LOS } }
`,
    });
    const m = new Mapper(graph, [join(d, 'acme.yaml')]);
    const r = m.map({
      trapOid: '1.3.6.1.4.1.32473.9.0.1',
      address: '10.0.0.1',
      receivedAt: 5,
      varbinds: [
        vb('1.3.6.1.4.1.32473.9.1.1.0', 'XT-A3'),
        vb('1.3.6.1.4.1.32473.9.1.2.0', '2-1'),
        vb('1.3.6.1.4.1.32473.9.1.3.0', 'signal lost'),
      ],
    });
    expect(r).toMatchObject({
      ok: true,
      rule: 'acme',
      event: { kind: 'raise', node: 'XT-A3', object: '2-1', type: 'LOS', vendorName: 'R_LOS', eventTime: 5 },
    });
  });

  it('replaces a built-in rule by name', () => {
    const d = dirWith({
      'mine.yaml': `rules:
  - name: linkDown
    trap: IF-MIB::linkDown
    action: raise
    node: { from: sender, prefer: router }
    alarmName: { value: LINK-DOWN }
    severity: { value: critical }
`,
    });
    const m = new Mapper(graph, [join(d, 'mine.yaml')]);
    const r = m.map({ trapOid: '1.3.6.1.6.3.1.1.5.3', address: '10.9.9.9', receivedAt: 1, varbinds: [] });
    expect(r).toMatchObject({ ok: true, event: { severity: 'critical', object: '' } });
  });

  it('names the file, rule and name that do not resolve, and a malformed rule', () => {
    const d = dirWith({ 'bad.yaml': 'rules:\n  - { name: x, trap: NOPE-MIB::nothing, action: raise }\n' });
    expect(() => new Mapper(graph, [join(d, 'bad.yaml')])).toThrow(
      /bad\.yaml: rule "x": "NOPE-MIB::nothing" is not defined in the loaded MIBs/,
    );
    const e = dirWith({ 'worse.yaml': 'rules:\n  - { name: y, trap: "1.3.6", action: explode }\n' });
    expect(() => new Mapper(graph, [join(e, 'worse.yaml')])).toThrow(/worse\.yaml: rules\[0\]\.action/);
  });
});

describe('the worked example for a vendor not shipped (docs/mapping-rules.md)', () => {
  const EXAMPLE = new URL('../docs/examples/zte-like/zte-like.yaml', import.meta.url).pathname;
  const Z = '1.3.6.1.4.1.3902.4101.1.3.3';
  const alarm = (extra: Varbind[] = []) => [
    { oid: `${Z}.1.0`, type: snmp.ObjectType.OctetString, value: 'XT-A3' },
    { oid: `${Z}.2.0`, type: snmp.ObjectType.OctetString, value: 'rack=1,shelf=1,slot=7,port=2,vc12=15' },
    { oid: `${Z}.3.0`, type: snmp.ObjectType.Gauge, value: 1204 },
    { oid: `${Z}.4.0`, type: snmp.ObjectType.Integer, value: 2 },
    { oid: `${Z}.5.0`, type: snmp.ObjectType.Integer, value: 1 },
    ...extra,
  ];

  it('the rule file in the document is the example file', () => {
    const doc = readFileSync(new URL('../docs/mapping-rules.md', import.meta.url), 'utf8');
    const block = /Worked example[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc);
    expect(block, 'the worked example in docs/mapping-rules.md').not.toBeNull();
    const file = readFileSync(EXAMPLE, 'utf8');
    expect(file.replace(/^#.*\n/gm, '')).toBe(block![1]);
  });

  it('loads with the MIB beside it and maps the alarm and the heartbeat', () => {
    const m = new Mapper(graph, [EXAMPLE]);
    const r = m.map({
      trapOid: '1.3.6.1.4.1.3902.4101.1.4.1.1',
      address: '10.9.0.1',
      receivedAt: 5,
      varbinds: [
        ...alarm().map(({ oid, value }) => (typeof value === 'string' ? vb(oid, value) : { oid, value })),
        vb(`${Z}.6.0`, '2026-11-29 05:00:00'),
        { oid: `${Z}.7.0`, value: 12 },
      ],
    });
    expect(r).toMatchObject({
      ok: true,
      event: {
        kind: 'raise',
        node: 'XT-A3',
        object: '7-2:15',
        type: 'TU-AIS',
        severity: 'major',
        serial: 12,
        eventTime: Date.parse('2026-11-29T05:00:00Z'),
        sender: 'EMS-10.9.0.1',
      },
    });
    expect(
      m.map({ trapOid: '1.3.6.1.4.1.3902.4101.1.4.1.9', address: '10.9.0.1', receivedAt: 5, varbinds: [] }),
    ).toMatchObject({ ok: true, event: { kind: 'ems', signal: 'heartbeat' } });
  });

  it('a running service with --mappings makes the alarm from a real trap', async () => {
    const svc = await startOnDemo({ mappings: EXAMPLE });
    try {
      const t = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await t.send('1.3.6.1.4.1.3902.4101.1.4.1.1', alarm());
      t.close();
      const active = async () =>
        ((await (await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/alarms?state=active`)).json()) as any).items;
      const [a] = await waitFor(async () => ((await active()).length ? active() : null), 10_000, 'the alarm');
      expect(a).toMatchObject({
        node: 'XT-A3',
        object: '7-2:15',
        type: 'TU-AIS',
        vendorName: 'TU_AIS',
        severity: 'major',
      });
      const unmapped = (await (await fetch(`http://127.0.0.1:${svc.httpPort}/api/v1/unmapped`)).json()) as any;
      expect(unmapped.items).toEqual([]);
    } finally {
      await svc.stop();
    }
  }, 60_000);
});
