/**
 * Documents as the sandbox stores them: plain dicts in the key order Frappe's `as_dict` uses
 * (nulls omitted, `doctype` last), with child tables as lists of row dicts.
 */
import { randomBytes } from 'node:crypto';

export interface Doc {
  name: string;
  doctype: string;
  [field: string]: unknown;
}

/** Standard columns every document has, before its own fields. */
export const STANDARD_FIELDS = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx'] as const;

/** Columns a client may not set through the body of a POST/PUT: the server owns them. */
export const SERVER_OWNED_FIELDS: ReadonlySet<string> = new Set([
  ...STANDARD_FIELDS,
  'doctype',
  'parent',
  'parentfield',
  'parenttype',
  '__newname',
  'flags',
]);

/** Password fields are never sent back in clear: Frappe keeps them in `__Auth`, the row has stars. */
const PASSWORD_FIELDS: ReadonlySet<string> = new Set(['api_secret', 'new_password']);

export function visibleValue(field: string, value: unknown): unknown {
  return PASSWORD_FIELDS.has(field) && typeof value === 'string' ? '*'.repeat(value.length) : value;
}

/**
 * Timestamps like Frappe's `now()` ("2025-02-05 10:11:12.123456"), strictly increasing so that
 * `modified` works as an optimistic lock (a stale one is a 417 TimestampMismatchError) and
 * `modified desc` is a total order.
 */
export class Clock {
  private lastMicros = 0;

  timestamp(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const date = new Date(Math.floor(this.lastMicros / 1000));
    const micros = String(this.lastMicros % 1_000_000).padStart(6, '0');
    return `${formatDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${micros}`;
  }

  today(): string {
    return formatDate(new Date());
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function formatDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Child row names are random hashes in Frappe (`make_autoname("hash")`), 10 characters. */
export function randomRowName(): string {
  return randomBytes(5).toString('hex');
}

export function isRowList(value: unknown): value is Doc[] {
  return Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null);
}

/** `as_dict(no_nulls=True)`: nulls omitted, `doctype` last, secrets masked. */
export function serialise(doc: Doc): Doc {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc)) {
    if (value === null || value === undefined || field === 'doctype') continue;
    out[field] = isRowList(value) ? value.map(serialise) : visibleValue(field, value);
  }
  out.doctype = doc.doctype;
  return out as Doc;
}

export function cloneDoc<T extends Doc>(doc: T): T {
  return structuredClone(doc);
}
