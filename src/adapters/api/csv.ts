// CSV export of alarms and tickets (RFC 4180: CRLF, quoted when needed). A cell that a
// spreadsheet would run as a formula (=, +, @, tab, CR) is prefixed with an apostrophe.
import { Readable } from 'node:stream';

export type Column<T> = [header: string, value: (row: T) => unknown];

function cell(v: unknown): string {
  let s = v == null ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  if (/^[=+@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function* lines<T>(rows: Iterable<T>, columns: Array<Column<T>>): Generator<string> {
  // A byte-order mark so that spreadsheet programs read the Chinese titles as UTF-8.
  yield '\ufeff' + columns.map(([h]) => h).join(',') + '\r\n';
  for (const r of rows) yield columns.map(([, f]) => cell(f(r))).join(',') + '\r\n';
}

export const csvStream = <T>(rows: Iterable<T>, columns: Array<Column<T>>): Readable =>
  Readable.from(lines(rows, columns));

export const wantsCsv = (accept: string | undefined): boolean => /\btext\/csv\b/i.test(accept ?? '');
