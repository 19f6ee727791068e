// GET /api/v1/events: one Server-Sent Events broadcaster for all clients.
// - Each change is serialised once (per ticket language), into a Buffer every client shares.
// - Ids are `<boot>-<seq>`: a client that reconnects with Last-Event-ID gets what it missed
//   from a bounded history; when that is not possible (too old, or another boot) it gets a
//   `resync` event, telling it to reload its state over REST.
// - Backpressure comes from the socket: a client whose unsent bytes exceed `maxBufferedBytes`
//   is dropped, after a final `resync` event (counted). At most `maxClients` streams.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable, Subscription } from 'rxjs';
import type { Output } from '../../pipeline/pipeline.js';
import { ApiError } from './errors.js';

export type Lang = 'zh-CN' | 'en';
/** The SSE events of one pipeline output, in order; `data` may depend on the language. */
export type Render = (o: Output) => Array<{ event: string; data: (lang: Lang) => unknown; byLang?: boolean }>;

export interface SseOptions {
  maxClients: number;
  maxBufferedBytes: number;
  historySize: number;
  heartbeatMs: number;
}

export const SSE_DEFAULTS: SseOptions = {
  maxClients: 1000,
  maxBufferedBytes: 128 * 1024,
  historySize: 5000,
  heartbeatMs: 15_000,
};

interface Frame {
  seq: number;
  zh: Buffer;
  en: Buffer;
}

interface Client {
  res: FastifyReply['raw'];
  lang: Lang;
}

const HEARTBEAT = Buffer.from(': heartbeat\n\n');
const resyncFrame = (reason: string) => Buffer.from(`event: resync\ndata: ${JSON.stringify({ reason })}\n\n`);

export class EventStream {
  private readonly boot = Date.now().toString(36);
  private seq = 0;
  private readonly history: Frame[] = [];
  private readonly clients = new Set<Client>();
  private readonly sub: Subscription;
  private readonly beat: NodeJS.Timeout;
  readonly stats = { dropped: 0, refused: 0, sent: 0 };

  constructor(
    events$: Observable<Output>,
    private readonly render: Render,
    private readonly version: string,
    private readonly opts: SseOptions = SSE_DEFAULTS,
  ) {
    this.sub = events$.subscribe((o) => this.publish(o));
    this.beat = setInterval(() => this.each((c) => this.write(c, HEARTBEAT)), opts.heartbeatMs);
    this.beat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over the request as an event stream (or refuses it when there are too many). */
  open(req: FastifyRequest, reply: FastifyReply, lang: Lang): void {
    if (this.clients.size >= this.opts.maxClients) {
      this.stats.refused++;
      throw new ApiError('UNAVAILABLE', `too many event stream clients (${this.opts.maxClients}); retry later`);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, lang };
    this.clients.add(client);
    const gone = () => this.clients.delete(client);
    req.raw.on('close', gone);
    res.on('error', gone);
    res.write(`retry: 2000\n: connected\n\n`);
    res.write(`event: hello\ndata: ${JSON.stringify({ version: this.version, lastEventId: this.lastId() })}\n\n`);
    this.replay(client, req.headers['last-event-id']);
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    clearInterval(this.beat);
    this.sub.unsubscribe();
    this.each((c) => c.res.end());
    this.clients.clear();
  }

  private lastId(): string | null {
    return this.seq ? `${this.boot}-${this.seq}` : null;
  }

  private replay(c: Client, header: string | string[] | undefined): void {
    const last = Array.isArray(header) ? header[0] : header;
    if (!last) return;
    const m = /^([0-9a-z]+)-(\d+)$/.exec(last.trim());
    const oldest = this.history.length ? this.history[0].seq : this.seq + 1;
    if (!m || m[1] !== this.boot || Number(m[2]) < oldest - 1 || Number(m[2]) > this.seq) {
      this.write(c, resyncFrame('history-unavailable'));
      return;
    }
    const from = Number(m[2]);
    for (const f of this.history) if (f.seq > from) this.write(c, c.lang === 'en' ? f.en : f.zh);
  }

  private publish(o: Output): void {
    for (const e of this.render(o)) {
      const seq = ++this.seq;
      const head = `id: ${this.boot}-${seq}\nevent: ${e.event}\ndata: `;
      const zh = Buffer.from(`${head}${JSON.stringify(e.data('zh-CN'))}\n\n`);
      const frame: Frame = { seq, zh, en: e.byLang ? Buffer.from(`${head}${JSON.stringify(e.data('en'))}\n\n`) : zh };
      this.history.push(frame);
      if (this.history.length > this.opts.historySize)
        this.history.splice(0, this.history.length - this.opts.historySize);
      this.each((c) => this.write(c, c.lang === 'en' ? frame.en : frame.zh));
    }
  }

  private each(fn: (c: Client) => void): void {
    for (const c of this.clients) fn(c);
  }

  /** Writes unless the client has fallen too far behind: then it is told to resync and dropped. */
  private write(c: Client, buf: Buffer): void {
    if (c.res.writableLength + buf.length <= this.opts.maxBufferedBytes) {
      c.res.write(buf);
      this.stats.sent++;
      return;
    }
    this.clients.delete(c);
    this.stats.dropped++;
    c.res.end(resyncFrame('slow-client'));
    // A client that does not read at all never takes the final event: free its buffer.
    setTimeout(() => c.res.destroy(), 5000).unref();
  }
}
