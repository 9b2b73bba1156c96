/**
 * In-memory tables with one transaction per request, as Frappe commits or rolls back each one: every
 * write while a transaction is open records how to undo it, so a request that fails leaves
 * nothing behind, including the documents its hooks created.
 *
 * Names are looked up case-insensitively because MariaDB's primary keys are (utf8mb4 `_ci`
 * collation): "acme ltd" clashes with "Acme Ltd" and finds it.
 *
 * Rows are also indexed by their `company`, so that per-company work (a Company insert, listing a
 * company's accounts) stays constant-time as hundreds of companies accumulate.
 */
import type { Doc } from './document.js';

type UndoEntry =
  | { kind: 'row'; doctype: string; key: string; previous: Doc | undefined }
  | { kind: 'series'; series: string; previous: number | undefined };

function keyOf(name: string): string {
  return name.toLowerCase();
}

export class Store {
  private readonly tables = new Map<string, Map<string, Doc>>();
  private readonly seriesCounters = new Map<string, number>();
  /** doctype → lower-cased company → row keys. */
  private readonly byCompany = new Map<string, Map<string, Set<string>>>();
  private undoLog: UndoEntry[] | null = null;

  /** Runs `work` as one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: () => T): T {
    if (this.undoLog) throw new Error('nested sandbox transaction');
    this.undoLog = [];
    try {
      const result = work();
      this.undoLog = null;
      return result;
    } catch (error) {
      this.rollback();
      throw error;
    }
  }

  get(doctype: string, name: string): Doc | undefined {
    return this.tables.get(doctype)?.get(keyOf(name));
  }

  has(doctype: string, name: string): boolean {
    return this.get(doctype, name) !== undefined;
  }

  /** Rows of a table in insertion order. Treat them as read-only: write through `put`. */
  all(doctype: string): Doc[] {
    return [...(this.tables.get(doctype)?.values() ?? [])];
  }

  /** Rows whose `company` is `company` (case-insensitive, like the database). */
  ofCompany(doctype: string, company: string): Doc[] {
    const table = this.tables.get(doctype);
    const keys = this.byCompany.get(doctype)?.get(keyOf(company));
    if (!table || !keys) return [];
    return [...keys].map((key) => table.get(key)).filter((doc): doc is Doc => doc !== undefined);
  }

  find(doctype: string, predicate: (doc: Doc) => boolean): Doc | undefined {
    for (const doc of this.tables.get(doctype)?.values() ?? []) if (predicate(doc)) return doc;
    return undefined;
  }

  put(doc: Doc): void {
    const table = this.table(doc.doctype);
    const key = keyOf(doc.name);
    this.undoLog?.push({ kind: 'row', doctype: doc.doctype, key, previous: table.get(key) });
    this.write(doc.doctype, key, doc);
  }

  remove(doctype: string, name: string): void {
    const key = keyOf(name);
    this.undoLog?.push({ kind: 'row', doctype, key, previous: this.table(doctype).get(key) });
    this.write(doctype, key, undefined);
  }

  /** Next number of a naming series (Frappe's `tabSeries`, transactional like any row). */
  nextInSeries(series: string): number {
    const previous = this.seriesCounters.get(series);
    this.undoLog?.push({ kind: 'series', series, previous });
    const next = (previous ?? 0) + 1;
    this.seriesCounters.set(series, next);
    return next;
  }

  clear(): void {
    this.tables.clear();
    this.seriesCounters.clear();
    this.byCompany.clear();
  }

  /** Sets or deletes one row, keeping the company index in step. */
  private write(doctype: string, key: string, doc: Doc | undefined): void {
    const table = this.table(doctype);
    const previous = table.get(key);
    if (typeof previous?.company === 'string') this.byCompany.get(doctype)?.get(keyOf(previous.company))?.delete(key);
    if (!doc) {
      table.delete(key);
      return;
    }
    table.set(key, doc);
    if (typeof doc.company !== 'string') return;
    let index = this.byCompany.get(doctype);
    if (!index) {
      index = new Map();
      this.byCompany.set(doctype, index);
    }
    const companyKey = keyOf(doc.company);
    let keys = index.get(companyKey);
    if (!keys) {
      keys = new Set();
      index.set(companyKey, keys);
    }
    keys.add(key);
  }

  private table(doctype: string): Map<string, Doc> {
    let table = this.tables.get(doctype);
    if (!table) {
      table = new Map();
      this.tables.set(doctype, table);
    }
    return table;
  }

  private rollback(): void {
    const log = this.undoLog ?? [];
    this.undoLog = null;
    for (const entry of log.reverse()) {
      if (entry.kind === 'row') {
        this.write(entry.doctype, entry.key, entry.previous);
      } else if (entry.previous === undefined) {
        this.seriesCounters.delete(entry.series);
      } else {
        this.seriesCounters.set(entry.series, entry.previous);
      }
    }
  }
}
