// The event stream under clients that do not read, reconnect, or are too many: real HTTP
// (fastify) around the EventStream broadcaster.
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStream, SSE_DEFAULTS, type SseOptions } from '../src/adapters/api/sse.js';
import { ApiError } from '../src/adapters/api/errors.js';
import type { AlarmView } from '../src/core/model.js';
import type { Output } from '../src/pipeline/pipeline.js';
import { sleep, waitFor } from './helpers/env.js';

let app: FastifyInstance | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

const alarm = (i: number, pad = 0) =>
  ({ id: `ALM-${i}`, node: 'XT-A1', object: '1-1', type: 'LOS', text: 'x'.repeat(pad) }) as unknown as AlarmView;
const out = (i: number, pad = 0): Output => ({
  at: i,
  alarms: [alarm(i, pad)],
  incidents: [],
  circuits: [],
  tickets: [],
  restarts: [],
});

async function serve(
  opts: Partial<SseOptions> = {},
): Promise<{ events$: Subject<Output>; stream: EventStream; port: number }> {
  const events$ = new Subject<Output>();
  const stream = new EventStream(events$, (o) => o.alarms.map((a) => ({ event: 'alarm', data: () => a })), 'test', {
    ...SSE_DEFAULTS,
    ...opts,
  });
  app = Fastify();
  app.setErrorHandler((e, _req, reply) =>
    e instanceof ApiError ? reply.status(e.status).send(e.body()) : reply.send(e),
  );
  app.get('/events', async (req, reply) => stream.open(req, reply, 'zh-CN'));
  app.addHook('preClose', async () => stream.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { events$, stream, port: (app.server.address() as net.AddressInfo).port };
}

/** A raw client: collects the text, or never reads at all (`read: false`). */
function client(
  port: number,
  headers: Record<string, string> = {},
  read = true,
): { text: () => string; sock: net.Socket } {
  let text = '';
  const sock = net.connect(port, '127.0.0.1');
  sockets.push(sock);
  sock.write(
    `GET /events HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
  );
  if (read)
    sock.on('data', (d) => {
      text += String(d);
    });
  else sock.pause();
  return { text: () => text, sock };
}
const ids = (text: string) => [...text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1]);

describe('event stream', () => {
  it('ids survive a reconnect: Last-Event-ID replays what was missed, a foreign id gets resync', async () => {
    const { events$, port } = await serve();
    for (let i = 1; i <= 3; i++) events$.next(out(i));
    const a = client(port);
    await waitFor(() => a.text().includes('event: hello'), 3000, 'hello');
    expect(ids(a.text())).toEqual([]); // no Last-Event-ID: nothing old
    events$.next(out(4));
    events$.next(out(5));
    await waitFor(() => ids(a.text()).length === 2, 3000, 'two live events');
    const last = ids(a.text())[1];
    expect(last).toMatch(/^[0-9a-z]+-5$/);
    a.sock.destroy();
    for (let i = 6; i <= 8; i++) events$.next(out(i));
    const b = client(port, { 'Last-Event-ID': last });
    await waitFor(() => ids(b.text()).length === 3, 3000, 'replay');
    expect(ids(b.text()).map((id) => id.split('-')[1])).toEqual(['6', '7', '8']);
    expect(b.text()).toContain('"id":"ALM-6"');
    const c = client(port, { 'Last-Event-ID': 'otherboot-3' });
    await waitFor(() => c.text().includes('event: resync'), 3000, 'resync for an id of another boot');
  });

  it('drops a client that does not read with a final resync, counted; a client that reads is still served', async () => {
    const { events$, stream, port } = await serve({ maxBufferedBytes: 256 * 1024 });
    const slow = client(port, {}, false);
    const good = client(port);
    await waitFor(() => stream.size === 2, 3000, 'two clients');
    // Up to 15 MB, 20 KB at a time: more than the kernel's socket buffers take for the client that does not read.
    for (let i = 1; i <= 15_000 && !stream.stats.dropped; i++) {
      events$.next(out(i, 1000));
      if (i % 20 === 0) await sleep(2);
    }
    expect(stream.stats.dropped).toBe(1);
    const sent = Number(ids(await waitFor(() => good.text(), 1000, 'text')).length);
    expect(sent).toBeGreaterThan(0);
    expect(stream.size).toBe(1);
    // When it reads at last, what it has ends with the event telling it to resync.
    let rest = '';
    slow.sock.on('data', (d) => {
      rest += String(d);
    });
    slow.sock.resume();
    await waitFor(() => rest.includes('event: resync\ndata: {"reason":"slow-client"}'), 5000, 'final resync event');
    events$.next(out(99_999));
    await waitFor(() => good.text().includes('"id":"ALM-99999"'), 5000, 'the reading client still served');
  });

  it('refuses clients beyond the maximum with 503 in the error shape', async () => {
    const { stream, port } = await serve({ maxClients: 2 });
    client(port);
    client(port);
    await waitFor(() => stream.size === 2, 3000, 'two clients');
    const r = await fetch(`http://127.0.0.1:${port}/events`);
    expect(r.status).toBe(503);
    expect((await r.json()).error.code).toBe('UNAVAILABLE');
    expect(stream.stats.refused).toBe(1);
  });

  it('500 clients that never read during a storm: memory stays bounded, all of them dropped', async () => {
    const { events$, stream, port } = await serve();
    for (let i = 0; i < 500; i++) client(port, {}, false);
    await waitFor(() => stream.size === 500, 10_000, '500 clients');
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    // 20,000 events of ~1 KB: unbounded, that would be 10 GB queued for these clients.
    for (let i = 1; i <= 20_000; i++) {
      events$.next(out(i, 1000));
      if (i % 500 === 0) {
        peak = Math.max(peak, process.memoryUsage().rss);
        await sleep(1);
      }
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMiB = (peak - rss0) / 2 ** 20;
    console.log(
      `SSE: 500 non-reading clients, 20,000 events of 1 KB: RSS grew ${growthMiB.toFixed(0)} MiB, ${stream.stats.dropped} dropped`,
    );
    expect(stream.stats.dropped).toBe(500);
    expect(growthMiB).toBeLessThan(256);
  }, 60_000);
});
