// The REST client and the event stream (SSE read with fetch: EventSource cannot send the
// bearer token). Errors carry the API's status and message, shown to the operator as sent.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  token: string;
  lang: string;
}

function headers(s: Session, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { 'accept-language': s.lang, ...extra };
  if (s.token) h.authorization = `Bearer ${s.token}`;
  return h;
}

export async function api<R>(s: Session, path: string, body?: unknown): Promise<R> {
  let r: Response;
  try {
    r = await fetch(
      path,
      body === undefined
        ? { headers: headers(s) }
        : { method: 'POST', headers: headers(s, { 'content-type': 'application/json' }), body: JSON.stringify(body) },
    );
  } catch (e) {
    throw new ApiFailure(0, 'NETWORK', (e as Error).message);
  }
  const json = await r.json().catch(() => ({}));
  if (!r.ok)
    throw new ApiFailure(r.status, json?.error?.code ?? String(r.status), json?.error?.message ?? r.statusText);
  return json as R;
}

/** Opens the event stream; resolves once it is open, then feeds events until it ends. */
export async function openStream(
  s: Session,
  signal: AbortSignal,
): Promise<(on: (type: string, data: unknown) => void) => Promise<void>> {
  const r = await fetch('/api/v1/events', { headers: headers(s, { accept: 'text/event-stream' }), signal });
  if (!r.ok || !r.body) {
    const json = await r.json().catch(() => ({}));
    throw new ApiFailure(r.status, json?.error?.code ?? String(r.status), json?.error?.message ?? r.statusText);
  }
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  return async (on) => {
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let k: number;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const chunk = buf.slice(0, k);
        buf = buf.slice(k + 2);
        let ev = 'message';
        let data = '';
        for (const line of chunk.split('\n')) {
          if (line.startsWith('event: ')) ev = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data && ev !== 'hello') on(ev, JSON.parse(data));
      }
    }
  };
}
