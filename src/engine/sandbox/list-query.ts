/**
 * `GET /api/resource/{doctype}` and `frappe.client.get_count` (`frappe.get_list`): `fields`,
 * `filters` / `or_filters` (dict and list forms), `order_by`, `limit_start`, `limit_page_length`.
 * Comparisons follow MariaDB's: strings case-insensitive, a missing value counts as `''`.
 */
import { isRowList, visibleValue, type Doc } from './document.js';
import { FrappeError, frappeThrow } from './errors.js';
import { cint, isBlank, rows, text, type DocTypeDef } from './doctypes/meta.js';
import type { Store } from './store.js';

const OPERATORS = ['=', '!=', '>', '<', '>=', '<=', 'like', 'not like', 'in', 'not in', 'is', 'between'] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  /** Set when the filter names a child table doctype (`[child_doctype, field, op, value]`). */
  childDoctype?: string;
  field: string;
  operator: Operator;
  value: unknown;
}

interface SortKey {
  field: string;
  descending: boolean;
}

export interface ListQuery {
  fields: string[];
  filters: Filter[];
  orFilters: Filter[];
  orderBy: SortKey[];
  limitStart: number;
  /** 0 = no limit (`cint(0)` → None). */
  limitPageLength: number;
}

/** Query parameters of one request, JSON values still encoded as in the URL. */
export type QueryArgs = Readonly<Record<string, string | undefined>>;

const DEFAULT_PAGE_LENGTH = 20;

export function parseListQuery(def: DocTypeDef, args: QueryArgs): ListQuery {
  const fields = args.fields === undefined ? ['name'] : parseJson(args.fields);
  return {
    fields: Array.isArray(fields) ? fields.map(text) : [text(fields)],
    filters: parseFilters(def, args.filters),
    orFilters: parseFilters(def, args.or_filters),
    orderBy: parseOrderBy(args.order_by ?? 'modified desc'),
    limitStart: cint(args.limit_start),
    limitPageLength:
      args.limit_page_length !== undefined
        ? cint(args.limit_page_length)
        : args.limit !== undefined
          ? cint(args.limit)
          : DEFAULT_PAGE_LENGTH,
  };
}

/** Filters only, for `get_count`. */
export function parseFilters(def: DocTypeDef, encoded: string | undefined): Filter[] {
  if (encoded === undefined || encoded === '') return [];
  const parsed = parseJson(encoded);
  if (parsed === null) return [];
  if (Array.isArray(parsed)) return parsed.map((entry) => listFilter(def, entry));
  if (typeof parsed === 'object') {
    return Object.entries(parsed as Record<string, unknown>).map(([field, condition]) =>
      Array.isArray(condition)
        ? makeFilter(field, condition[0], condition[1])
        : makeFilter(field, '=', condition),
    );
  }
  throw frappeThrow(`Invalid filters: ${encoded}`);
}

function listFilter(def: DocTypeDef, entry: unknown): Filter {
  if (!Array.isArray(entry)) throw frappeThrow(`Invalid filter: ${JSON.stringify(entry)}`);
  if (entry.length === 4) {
    const filter = makeFilter(text(entry[1]), entry[2], entry[3]);
    return text(entry[0]) === def.name ? filter : { ...filter, childDoctype: text(entry[0]) };
  }
  if (entry.length === 3) return makeFilter(text(entry[0]), entry[1], entry[2]);
  if (entry.length === 2) return makeFilter(text(entry[0]), '=', entry[1]);
  throw frappeThrow(`Invalid filter: ${JSON.stringify(entry)}`);
}

function makeFilter(field: string, operator: unknown, value: unknown): Filter {
  const normalised = text(operator).toLowerCase().trim();
  if (!(OPERATORS as readonly string[]).includes(normalised)) {
    throw frappeThrow(`Operator must be one of ${OPERATORS.join(', ')}`);
  }
  return { field: stripQuoting(field), operator: normalised as Operator, value };
}

function parseJson(encoded: string): unknown {
  try {
    return JSON.parse(encoded);
  } catch (error) {
    throw new FrappeError('JSONDecodeError', { exceptionText: (error as Error).message });
  }
}

/** `"creation desc, name"`, also with `` `tabX`.`field` `` quoting. */
function parseOrderBy(orderBy: string): SortKey[] {
  return orderBy
    .split(',')
    .map((part) => part.trim().split(/\s+/))
    .filter((words) => words[0])
    .map((words) => ({ field: stripQuoting(words[0] ?? ''), descending: (words[1] ?? '').toLowerCase() === 'desc' }));
}

function stripQuoting(field: string): string {
  const column = field.includes('.') ? field.slice(field.lastIndexOf('.') + 1) : field;
  return column.replaceAll('`', '').trim();
}

/** Rows that may match: a `company = X` filter narrows to the company index, else the whole table. */
export function candidates(store: Store, def: DocTypeDef, filters: Filter[]): Doc[] {
  const byCompany = filters.find(
    (filter) => !filter.childDoctype && filter.field === 'company' && filter.operator === '=' && typeof filter.value === 'string',
  );
  return byCompany ? store.ofCompany(def.name, text(byCompany.value)) : store.all(def.name);
}

export function runListQuery(def: DocTypeDef, docs: Doc[], query: ListQuery): Record<string, unknown>[] {
  const matching = docs.filter((doc) => matchesAll(def, doc, query));
  matching.sort((a, b) => compareForOrder(a, b, query.orderBy));
  const end = query.limitPageLength > 0 ? query.limitStart + query.limitPageLength : undefined;
  return matching.slice(query.limitStart, end).map((doc) => project(doc, query.fields));
}

export function matchesAll(def: DocTypeDef, doc: Doc, query: Pick<ListQuery, 'filters' | 'orFilters'>): boolean {
  const and = query.filters.every((filter) => matchesFilter(def, doc, filter));
  const or = query.orFilters.length === 0 || query.orFilters.some((filter) => matchesFilter(def, doc, filter));
  return and && or;
}

function matchesFilter(def: DocTypeDef, doc: Doc, filter: Filter): boolean {
  if (!filter.childDoctype) return compare(doc[filter.field], filter.operator, filter.value);
  const childTables = Object.entries(def.tables ?? {}).filter(([, table]) => table.childDoctype === filter.childDoctype);
  return childTables.some(([field]) => rows(doc, field).some((row) => compare(row[filter.field], filter.operator, filter.value)));
}

/** Numbers compare as numbers; everything else as case-insensitive text with null as `''`. */
function equals(left: unknown, right: unknown): boolean {
  if (isNumeric(left) && isNumeric(right)) return Number(left) === Number(right);
  return text(left).toLowerCase() === text(right).toLowerCase();
}

function order(left: unknown, right: unknown): number {
  if (isNumeric(left) && isNumeric(right)) return Number(left) - Number(right);
  const a = text(left).toLowerCase();
  const b = text(right).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
}

function listValue(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return text(value)
    .split(',')
    .map((part) => part.trim());
}

function like(value: unknown, pattern: unknown): boolean {
  const regex = text(pattern)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replaceAll('%', '.*')
    .replaceAll('_', '.');
  return new RegExp(`^${regex}$`, 'is').test(text(value));
}

function compare(value: unknown, operator: Operator, expected: unknown): boolean {
  switch (operator) {
    case '=':
      return equals(value, expected);
    case '!=':
      return !equals(value, expected);
    case '>':
      return order(value, expected) > 0;
    case '<':
      return order(value, expected) < 0;
    case '>=':
      return order(value, expected) >= 0;
    case '<=':
      return order(value, expected) <= 0;
    case 'like':
      return like(value, expected);
    case 'not like':
      return !like(value, expected);
    case 'in':
      return listValue(expected).some((item) => equals(value, item));
    case 'not in':
      return !listValue(expected).some((item) => equals(value, item));
    case 'is':
      return text(expected).toLowerCase() === 'set' ? !isBlank(value) : isBlank(value);
    case 'between': {
      const [low, high] = listValue(expected);
      return order(value, low) >= 0 && order(value, high) <= 0;
    }
  }
}

function compareForOrder(a: Doc, b: Doc, keys: SortKey[]): number {
  for (const key of keys) {
    const difference = order(a[key.field], b[key.field]);
    if (difference !== 0) return key.descending ? -difference : difference;
  }
  return 0;
}

/** List rows are plain dicts of the asked fields, nulls included; `*` = every column. */
function project(doc: Doc, fields: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const requested of fields) {
    if (requested === '*') {
      for (const [field, value] of Object.entries(doc)) if (!isRowList(value) && field !== 'doctype') row[field] = visibleValue(field, value) ?? null;
      continue;
    }
    const [expression, alias] = requested.split(/\s+as\s+/i);
    const field = stripQuoting(expression ?? '');
    row[alias?.trim() ?? field] = visibleValue(field, doc[field]) ?? null;
  }
  return row;
}
