// What the API says when a request is wrong, as the README quotes it: one status (400 for any
// bad input, the contract has no 413/415) and a message that says what to send.
import { readFileSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from './helpers/api.js';

const JSON_CT = { 'content-type': 'application/json' };
const CASES: Array<[string, InjectOptions, number, string]> = [
  [
    'no body',
    { method: 'POST', url: '/api/v1/tickets/TKT-1/ack' },
    400,
    'body: a JSON object is required (content-type: application/json)',
  ],
  [
    'another media type',
    {
      method: 'POST',
      url: '/api/v1/tickets/TKT-1/ack',
      headers: { 'content-type': 'application/xml' },
      payload: '<by/>',
    },
    400,
    'headers.content-type: application/xml is not supported: send JSON with content-type: application/json',
  ],
  [
    'broken JSON',
    { method: 'POST', url: '/api/v1/tickets/TKT-1/ack', headers: JSON_CT, payload: '{"by":' },
    400,
    'body: not valid JSON',
  ],
  [
    'a body over 64 KiB',
    {
      method: 'POST',
      url: '/api/v1/tickets/TKT-1/ack',
      headers: JSON_CT,
      payload: JSON.stringify({ by: 'x'.repeat(70_000) }),
    },
    400,
    'body: larger than 64 KiB',
  ],
  [
    'a field missing',
    { method: 'POST', url: '/api/v1/tickets/TKT-1/ack', headers: JSON_CT, payload: '{}' },
    400,
    'body.by: is required',
  ],
  [
    'the contract example',
    { method: 'POST', url: '/api/v1/circuits/CKT-0001/switchover', headers: JSON_CT, payload: '{}' },
    400,
    'body.confirmedBy: is required',
  ],
  [
    'an unknown id',
    { method: 'POST', url: '/api/v1/tickets/TKT-404/ack', headers: JSON_CT, payload: '{"by":"a"}' },
    404,
    'ticket "TKT-404" does not exist',
  ],
  ['an unknown route', { method: 'GET', url: '/api/v1/nope' }, 404, 'no route GET /api/v1/nope'],
];

describe('error texts', () => {
  let ctx: ApiHarness;
  beforeAll(async () => {
    ctx = await apiHarness();
  });
  afterAll(() => ctx.close());
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  for (const [what, req, status, message] of CASES) {
    it(`${what}: ${status} "${message}", as the README says`, async () => {
      const r = await ctx.app.inject(req);
      expect(r.statusCode).toBe(status);
      expect(JSON.parse(r.body).error).toMatchObject({ code: status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND', message });
      expect(readme).toContain(message);
    });
  }
});
