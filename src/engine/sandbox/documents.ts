/**
 * The document life cycle of one request: insert, save, delete, in the order Frappe runs its
 * steps (`Document.insert`, `update_doc`): defaults →
 * links → permission → name → controller validate → mandatory/selects → duplicate key → write →
 * `on_update`; cancel and delete as Frappe's `Document.cancel` and `delete_doc` run them. Hooks use
 * the same scope to create their side-effect documents.
 */
import { Clock, SERVER_OWNED_FIELDS, cloneDoc, isRowList, randomRowName, type Doc } from './document.js';
import { FrappeError, duplicateEntry, frappeThrow, notFound, type MessageDict } from './errors.js';
import {
  validateDocstatusTransition,
  validateLinks,
  validateMandatory,
  validateSelects,
  validateSetOnlyOnce,
} from './doctypes/checks.js';
import {
  cint,
  isBlank,
  rows,
  text,
  type DocContext,
  type DocTypeDef,
  type InsertOptions,
  type PermissionType,
  type SiteConfig,
  type TableMeta,
} from './doctypes/meta.js';
import { docTypeOf } from './doctypes/registry.js';
import { globalDefaults } from './doctypes/settings.js';
import { refuseCancelIfLinked, refuseDeleteIfLinked } from './links.js';
import { hasPermission } from './permissions.js';
import type { Store } from './store.js';

export class RequestScope implements DocContext {
  readonly messages: MessageDict[] = [];

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly config: SiteConfig,
    readonly user: string,
  ) {}

  /** `frappe.new_doc(doctype, **data).insert()`. A single is saved instead. */
  insert(doctype: string, data: Record<string, unknown>, options: InsertOptions = {}): Doc {
    const def = docTypeOf(doctype);
    if (def.single && this.store.has(doctype, doctype)) return this.update(doctype, doctype, data, options);
    const doc = this.newDoc(def, data);
    const docstatus = cint(data.docstatus);
    if (def.submittable) validateDocstatusTransition(0, docstatus);
    validateLinks(def, doc, this.store);
    this.checkPermission(def, 'create', doc, options);
    if (def.submittable && docstatus === 1) {
      this.checkPermission(def, 'submit', doc, options);
      doc.docstatus = 1;
    }
    doc.name = def.autoname(doc, this) || randomRowName();
    this.setParentInChildren(def, doc);
    def.validate?.(doc, this, undefined);
    validateMandatory(def, doc);
    validateSelects(def, doc);
    if (this.store.has(doctype, doc.name)) throw duplicateEntry(doctype, doc.name);
    this.store.put(doc);
    def.onUpdate?.(doc, this, undefined);
    return doc;
  }

  /** `update_doc`: partial update, child tables replaced, optimistic lock on `modified`. */
  update(doctype: string, name: string, data: Record<string, unknown>, options: InsertOptions = {}): Doc {
    const def = docTypeOf(doctype);
    const previous = this.store.get(doctype, def.single ? doctype : name);
    if (!previous) throw notFound(doctype, name);
    this.checkPermission(def, 'write', previous, options);
    if (!isBlank(data.modified) && text(data.modified) !== text(previous.modified)) {
      throw frappeThrow(
        `Error: Document has been modified after you have opened it (${text(previous.modified)}, ${text(data.modified)}). Please refresh to get the latest document.`,
        'TimestampMismatchError',
      );
    }
    const docstatus = data.docstatus === undefined ? cint(previous.docstatus) : cint(data.docstatus);
    // `{"docstatus": 2}` on a submitted document is its cancel (`check_docstatus_transition`).
    if (def.submittable && cint(previous.docstatus) === 1 && docstatus === 2) return this.cancel(doctype, name);
    const doc = cloneDoc(previous);
    if (def.submittable) {
      validateDocstatusTransition(cint(previous.docstatus), docstatus);
      if (cint(previous.docstatus) === 1 && docstatus === 1) rejectUpdateAfterSubmit(def, previous, data);
      if (docstatus !== cint(previous.docstatus)) this.checkPermission(def, 'submit', previous, options);
      doc.docstatus = docstatus;
    }
    for (const [field, value] of Object.entries(data)) {
      if (SERVER_OWNED_FIELDS.has(field)) continue;
      const table = def.tables?.[field];
      doc[field] = table && Array.isArray(value) ? this.replaceRows(table, rows(previous, field), value) : value;
    }
    return this.save(def, doc, previous);
  }

  /** `doc.save()` of a changed copy of `previous`. */
  private save(def: DocTypeDef, doc: Doc, previous: Doc): Doc {
    doc.modified = this.clock.timestamp();
    doc.modified_by = this.user;
    this.setParentInChildren(def, doc);
    validateSetOnlyOnce(def, doc, previous);
    validateLinks(def, doc, this.store);
    def.validate?.(doc, this, previous);
    validateMandatory(def, doc);
    validateSelects(def, doc);
    this.store.put(doc);
    def.onUpdate?.(doc, this, previous);
    return doc;
  }

  /**
   * `delete_doc` with `ignore_missing=False`, as `DELETE /api/resource` calls it (frappe
   * `model/delete_doc.py`, `api/v1.py`): permission, not submitted, `on_trash`, then no document
   * may still link to it. A refusal rolls back whatever `on_trash` deleted.
   */
  remove(doctype: string, name: string): void {
    const def = docTypeOf(doctype);
    const doc = this.store.get(doctype, name);
    // `raise frappe.DoesNotExistError(doctype=doctype)`: a bare 404, no message.
    if (!doc) throw new FrappeError('DoesNotExistError');
    this.checkPermission(def, 'delete', doc, {});
    if (def.submittable && cint(doc.docstatus) === 1) throw submittedRecord(doc);
    def.onTrash?.(doc, this);
    this.store.remove(doctype, doc.name);
    refuseDeleteIfLinked(this.store, def, doc);
  }

  /**
   * `Document.cancel` (frappe `model/document.py`, `client.cancel`): docstatus 1 → 2 with
   * `before_cancel`, `on_cancel`, then no submitted document may still link to it. A cancel runs
   * neither `validate` nor the link validation of a save.
   */
  cancel(doctype: string, name: string): Doc {
    const def = docTypeOf(doctype);
    const previous = this.store.get(doctype, name);
    if (!previous) throw notFound(doctype, name);
    validateDocstatusTransition(cint(previous.docstatus), 2);
    this.checkPermission(def, 'cancel', previous, {});
    const doc = cloneDoc(previous);
    doc.docstatus = 2;
    doc.modified = this.clock.timestamp();
    doc.modified_by = this.user;
    this.setParentInChildren(def, doc);
    def.beforeCancel?.(doc, this);
    this.store.put(doc);
    def.onCancel?.(doc, this);
    refuseCancelIfLinked(this.store, doc);
    return doc;
  }

  /** `frappe.new_doc`: standard columns, static defaults, global defaults, then the body. */
  private newDoc(def: DocTypeDef, data: Record<string, unknown>): Doc {
    const now = this.clock.timestamp();
    const doc: Doc = {
      name: '',
      owner: this.user,
      creation: now,
      modified: now,
      modified_by: this.user,
      docstatus: 0,
      idx: 0,
      doctype: def.name,
    };
    for (const [field, value] of Object.entries(data)) {
      if (SERVER_OWNED_FIELDS.has(field)) continue;
      const table = def.tables?.[field];
      doc[field] = table && Array.isArray(value) ? this.replaceRows(table, [], value) : value;
    }
    const defaults = globalDefaults(this.store);
    for (const [field, meta] of Object.entries(def.fields)) {
      if (!isBlank(doc[field])) continue;
      if (meta.link && !isBlank(defaults[field])) doc[field] = defaults[field];
      else if (meta.default !== undefined) doc[field] = meta.default;
    }
    // A Prompt-named doctype takes the client's `name` or `__newname`.
    if (!isBlank(data.__newname)) doc.__newname = text(data.__newname).trim();
    else if (!isBlank(data.name)) doc.__newname = text(data.name).trim();
    return doc;
  }

  /** `update_child_table`: the sent list replaces the table; unknown row names are new rows. */
  private replaceRows(table: TableMeta, existing: Doc[], sent: unknown[]): Doc[] {
    const known = new Map(existing.map((row) => [row.name, row]));
    return sent
      .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
      .map((data, index) => {
        const previous = known.get(text(data.name));
        const now = this.clock.timestamp();
        const row: Doc = {
          name: previous ? previous.name : randomRowName(),
          owner: previous ? previous.owner : this.user,
          creation: previous ? previous.creation : now,
          modified: now,
          modified_by: this.user,
          docstatus: 0,
          idx: index + 1,
          doctype: table.childDoctype,
        };
        for (const [field, value] of Object.entries(data)) if (!SERVER_OWNED_FIELDS.has(field)) row[field] = value;
        for (const [field, meta] of Object.entries(table.fields)) {
          if (isBlank(row[field]) && meta.default !== undefined) row[field] = meta.default;
        }
        return row;
      });
  }

  private setParentInChildren(def: DocTypeDef, doc: Doc): void {
    delete doc.__newname;
    for (const tableField of Object.keys(def.tables ?? {})) {
      for (const row of rows(doc, tableField)) {
        row.parent = doc.name;
        row.parentfield = tableField;
        row.parenttype = def.name;
        row.docstatus = doc.docstatus;
      }
    }
  }

  /** `check_permission` → `raise_no_permission_to` (Frappe develop wording). */
  private checkPermission(def: DocTypeDef, type: PermissionType, doc: Doc, options: InsertOptions): void {
    if (options.ignorePermissions || hasPermission(this.store, this.user, def, type)) return;
    throw new FrappeError('PermissionError', {
      errorMessage: `You need the '${type}' permission on <strong>${def.name}</strong> ${doc.name} to perform this action.`,
    });
  }
}

/** `check_permission_and_not_submitted`: the message links ERPNext's article on cancelling first. */
function submittedRecord(doc: Doc): FrappeError {
  const article = "<a href='https://docs.erpnext.com//docs/user/manual/en/setting-up/articles/delete-submitted-document' target='_blank'>";
  return frappeThrow(`${doc.doctype} ${doc.name}: Submitted Record cannot be deleted. You must ${article} Cancel </a> it first.`);
}

/** `validate_update_after_submit`: a submitted document's fields are frozen. */
function rejectUpdateAfterSubmit(def: DocTypeDef, previous: Doc, data: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(data)) {
    if (SERVER_OWNED_FIELDS.has(field) || isRowList(value)) continue;
    if (text(value) !== text(previous[field])) {
      const label = def.fields[field]?.label ?? field;
      throw frappeThrow(
        `Not allowed to change ${label} after submission from ${text(previous[field])} to ${text(value)}`,
        'UpdateAfterSubmitError',
      );
    }
  }
}
