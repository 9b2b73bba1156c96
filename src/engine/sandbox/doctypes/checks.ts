/**
 * The generic document checks every insert and save runs, in Frappe's words
 * (`frappe/model/base_document.py`, `document.py`): link validation, mandatory fields, select
 * options, and the docstatus transition rules.
 */
import type { Doc } from '../document.js';
import { FrappeError, frappeThrow, msgprint } from '../errors.js';
import type { Store } from '../store.js';
import { isBlank, rows, text, type DocTypeDef, type FieldMeta } from './meta.js';

/**
 * `_validate_links`: every Link value must name an existing document; the value is corrected to
 * the stored case (MariaDB matched it case-insensitively). All misses in one message.
 */
export function validateLinks(def: DocTypeDef, doc: Doc, store: Store): void {
  const missing: string[] = [];
  const check = (target: Doc, field: string, meta: FieldMeta, rowPrefix: string): void => {
    const value = target[field];
    if (!meta.link || isBlank(value)) return;
    const linked = store.get(meta.link, text(value));
    if (linked) target[field] = linked.name;
    else missing.push(`${rowPrefix}${meta.label}: ${text(value)}`);
  };
  for (const [field, meta] of Object.entries(def.fields)) check(doc, field, meta, '');
  for (const [tableField, table] of Object.entries(def.tables ?? {})) {
    for (const row of rows(doc, tableField)) {
      for (const [field, meta] of Object.entries(table.fields)) check(row, field, meta, `Row #${text(row.idx)}: `);
    }
  }
  if (missing.length > 0) throw frappeThrow(`Could not find ${missing.join(', ')}`, 'LinkValidationError');
}

/** `_validate_mandatory`: one msgprint per missing field, then a bare MandatoryError. */
export function validateMandatory(def: DocTypeDef, doc: Doc): void {
  const missingFields: string[] = [];
  const messages = [];
  for (const [field, meta] of Object.entries(def.fields)) {
    if (meta.reqd && isBlank(doc[field])) {
      missingFields.push(field);
      messages.push(msgprint(`Error: Value missing for ${def.name}: ${meta.label}`));
    }
  }
  for (const [tableField, table] of Object.entries(def.tables ?? {})) {
    const tableRows = rows(doc, tableField);
    if (table.reqd && tableRows.length === 0) {
      missingFields.push(tableField);
      messages.push(msgprint(`Error: Data missing in table: ${table.label}`));
    }
    for (const row of tableRows) {
      for (const [field, meta] of Object.entries(table.fields)) {
        if (meta.reqd && isBlank(row[field])) {
          missingFields.push(field);
          messages.push(
            msgprint(`Error: <strong>${table.childDoctype}</strong> Row #${text(row.idx)}: Value missing for: ${meta.label}`),
          );
        }
      }
    }
  }
  if (missingFields.length > 0) {
    throw new FrappeError('MandatoryError', {
      exceptionText: `[${def.name}, ${doc.name}]: ${missingFields.join(', ')}`,
      messages,
    });
  }
}

/** `_validate_selects`: a Select value must be one of its options. */
export function validateSelects(def: DocTypeDef, doc: Doc): void {
  const check = (meta: FieldMeta, value: unknown, prefix: string): void => {
    if (!meta.options || isBlank(value) || meta.options.includes(text(value))) return;
    const options = meta.options.join('", "');
    throw frappeThrow(`${prefix} ${meta.label} cannot be "${text(value)}". It should be one of "${options}"`);
  };
  for (const [field, meta] of Object.entries(def.fields)) check(meta, doc[field], '');
  for (const [tableField, table] of Object.entries(def.tables ?? {})) {
    for (const row of rows(doc, tableField)) {
      for (const [field, meta] of Object.entries(table.fields)) check(meta, row[field], `Row #${text(row.idx)}:`);
    }
  }
}

/** `validate_set_only_once`: e.g. a Company's `abbr`. */
export function validateSetOnlyOnce(def: DocTypeDef, doc: Doc, previous: Doc): void {
  for (const [field, meta] of Object.entries(def.fields)) {
    if (meta.setOnlyOnce && !isBlank(previous[field]) && text(doc[field]) !== text(previous[field])) {
      throw frappeThrow(`Value cannot be changed for ${meta.label}`, 'CannotChangeConstantError');
    }
  }
}

const DOCSTATUS_LABELS = ['Draft', 'Submitted', 'Cancelled'] as const;

/** `check_docstatus_transition`: which moves between Draft, Submitted and Cancelled exist. */
export function validateDocstatusTransition(from: number, to: number): void {
  if (from === 2) throw frappeThrow('Cannot edit cancelled document');
  const allowed = from === 0 ? to === 0 || to === 1 : to === 1 || to === 2;
  if (!allowed) {
    throw frappeThrow(
      `Cannot change docstatus from ${from} (${DOCSTATUS_LABELS[from]}) to ${to} (${DOCSTATUS_LABELS[to] ?? to})`,
      'DocstatusTransitionError',
    );
  }
}
