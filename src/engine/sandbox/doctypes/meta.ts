/**
 * What the sandbox knows about a DocType: the fields that matter for the generic document checks
 * (links, mandatory, selects, defaults; as `Document.insert` checks them) and the controller hooks that
 * reproduce ERPNext's own rules. Fields not declared are stored as sent.
 */
import type { Clock, Doc } from '../document.js';
import type { MessageDict } from '../errors.js';
import type { Store } from '../store.js';

export interface FieldMeta {
  label: string;
  /** Target DocType of a Link field. */
  link?: string;
  reqd?: boolean;
  /** Static default (`_set_defaults`), applied when the value is missing. */
  default?: string | number;
  /** Options of a Select field. */
  options?: readonly string[];
  /** `set_only_once`: may not change after insert (e.g. Company `abbr`). */
  setOnlyOnce?: boolean;
}

export interface TableMeta {
  label: string;
  childDoctype: string;
  reqd?: boolean;
  fields: Readonly<Record<string, FieldMeta>>;
}

/** Role names per permission type; `All` means any signed-in user. */
export interface PermissionMeta {
  read: readonly string[];
  write: readonly string[];
  submit?: readonly string[];
}

export type PermissionType = 'read' | 'create' | 'write' | 'delete' | 'submit' | 'cancel';

export interface InsertOptions {
  /** Hooks insert their side-effect documents with `ignore_permissions`. */
  ignorePermissions?: boolean;
}

/** Site-level settings of a running sandbox that change behaviour. */
export interface SiteConfig {
  /** URL links in messages point to (`get_link_to_form`). */
  siteUrl: string;
  /** POS Opening Entry "one open entry per profile / per user" rules. */
  openEntryRules: boolean;
}

/** What a controller hook can see and do while a request is being handled. */
export interface DocContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: SiteConfig;
  /** Session user (`frappe.session.user`). */
  readonly user: string;
  /** The request's message log, sent as `_server_messages`. */
  readonly messages: MessageDict[];
  insert(doctype: string, data: Record<string, unknown>, options?: InsertOptions): Doc;
  /** `update_doc`: a partial update of a stored document, child tables replaced. */
  update(doctype: string, name: string, data: Record<string, unknown>, options?: InsertOptions): Doc;
  remove(doctype: string, name: string): void;
}

export interface DocTypeDef {
  name: string;
  single?: boolean;
  submittable?: boolean;
  fields: Readonly<Record<string, FieldMeta>>;
  tables?: Readonly<Record<string, TableMeta>>;
  permissions: PermissionMeta;
  /** `autoname` / `set_new_name`; returns the document name or throws. */
  autoname(doc: Doc, ctx: DocContext): string;
  /** Controller `validate` (+ `before_submit`); may change `doc`. `previous` on save. */
  validate?(doc: Doc, ctx: DocContext, previous: Doc | undefined): void;
  /** Controller `on_update` (+ `on_submit`), after the row is written. */
  onUpdate?(doc: Doc, ctx: DocContext, previous: Doc | undefined): void;
  /** Controller `on_trash`, before the link check of a delete; may refuse the delete. */
  onTrash?(doc: Doc, ctx: DocContext): void;
  /** Controller `before_cancel`; may refuse the cancel. */
  beforeCancel?(doc: Doc, ctx: DocContext): void;
  /** Controller `on_cancel`, after docstatus 2 is written. */
  onCancel?(doc: Doc, ctx: DocContext): void;
}

export function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Frappe's `cint`: 1 for truthy checks sent as numbers, strings or booleans. */
export function cint(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const parsed = Number.parseInt(text(value), 10);
  return Number.isNaN(parsed) ? 0 : parsed;
}

export function rows(doc: Doc, field: string): Doc[] {
  const value = doc[field];
  return Array.isArray(value) ? (value as Doc[]) : [];
}

/** `get_link_to_form(doctype, name)`: an anchor to the desk form. */
export function linkToForm(ctx: DocContext, doctype: string, name: string): string {
  const slug = doctype.toLowerCase().replaceAll(' ', '-');
  return `<a href="${ctx.config.siteUrl}/app/${slug}/${encodeURIComponent(name)}">${name}</a>`;
}

/** The company's abbreviation, for `"{name} - {abbr}"` names. */
export function companyAbbr(ctx: DocContext, company: unknown): string | undefined {
  const found = ctx.store.get('Company', text(company));
  return found ? text(found.abbr) : undefined;
}

/** `get_autoname_with_number`: `"{number} - {name} - {abbr}"`, number optional (Account, Cost Center). */
export function nameWithAbbr(ctx: DocContext, base: string, company: unknown, number?: unknown): string {
  const abbr = companyAbbr(ctx, company);
  const withNumber = isBlank(number) ? base.trim() : `${text(number).trim()} - ${base.trim()}`;
  return abbr ? `${withNumber} - ${abbr}` : withNumber;
}

/** `autoname: "PREFIX-.YYYY.-.#####"`: the next number of this year's series. */
export function nameFromSeries(prefix: string): (doc: Doc, ctx: DocContext) => string {
  return (_doc, ctx) => {
    const series = `${prefix}-${new Date().getFullYear()}-`;
    return `${series}${String(ctx.store.nextInSeries(series)).padStart(5, '0')}`;
  };
}

/** `autoname: "field:x"`: the name is the stripped value of that field. */
export function nameFromField(field: string): (doc: Doc) => string {
  return (doc) => text(doc[field]).trim();
}
