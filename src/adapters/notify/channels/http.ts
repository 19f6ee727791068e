// One HTTP request with a timeout; any non-2xx, timeout or network error is a failed delivery.
// Robot APIs (WeCom, DingTalk) answer 200 with `{ errcode }`: non-zero is a failure too.
import type { Delivery } from './types.js';

export interface HttpRequest {
  url: string;
  method?: 'POST' | 'PUT' | 'GET';
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Check `errcode` in a JSON answer (robot APIs). */
  errcode?: boolean;
}

export async function request(r: HttpRequest): Promise<Delivery> {
  try {
    const res = await fetch(r.url, {
      method: r.method ?? 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...r.headers },
      body: r.method === 'GET' ? undefined : r.body,
      signal: AbortSignal.timeout(r.timeoutMs),
    });
    const text = await res.text().catch(() => '');
    if (res.status < 200 || res.status >= 300)
      return { ok: false, status: res.status, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
    if (r.errcode) {
      let code: unknown = 0;
      try {
        code = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0;
      } catch {
        code = 'unreadable answer';
      }
      if (code !== 0) return { ok: false, status: res.status, error: `errcode ${String(code)}: ${text.slice(0, 200)}` };
    }
    return { ok: true, status: res.status, error: null };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `timeout after ${r.timeoutMs} ms` : (err.cause?.code ?? err.message);
    return { ok: false, status: null, error: why };
  }
}
