// Local stand-ins for the places notifications go: an HTTP receiver (webhook, WeCom, DingTalk,
// SMS gateway) that records every request and answers what the test says, and a real SMTP
// server (smtp-server) with STARTTLS and auth.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  at: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  json: any;
}

export class HttpReceiver {
  readonly got: Received[] = [];
  /** Status codes to answer, in order; then `status`. */
  readonly script: number[] = [];
  status = 200;
  /** Answer body for a 2xx (robots answer `{ errcode: 0 }`). */
  answer = '{"errcode":0,"errmsg":"ok"}';
  private server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      let json: unknown = null;
      try {
        json = JSON.parse(raw);
      } catch {
        /* not JSON */
      }
      this.got.push({ at: Date.now(), method: req.method!, url: req.url!, headers: req.headers, raw, json });
      const status = this.script.shift() ?? this.status;
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status < 300 ? this.answer : '{"error":"boom"}');
    });
  });
  port = 0;

  async start(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
  user: string | undefined;
}

export class SmtpReceiver {
  readonly got: Mail[] = [];
  port = 0;
  private server: SMTPServer;

  constructor(
    readonly user = 'ringguard',
    readonly pass = 'mail-secret',
  ) {
    this.server = new SMTPServer({
      // STARTTLS with smtp-server's own self-signed certificate; auth only over TLS.
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, cb) =>
        auth.username === this.user && auth.password === this.pass
          ? cb(null, { user: auth.username })
          : cb(new Error('Invalid username or password')),
      onData: (stream, session, cb) => {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (d) => (raw += d));
        stream.on('end', () => {
          this.got.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            secure: session.secure,
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }
  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
