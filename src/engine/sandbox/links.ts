/**
 * `check_if_doc_is_linked` (frappe `model/delete_doc.py`): which other document still points at a
 * document through a Link field, a Link in a child row, or a Link of a single. A delete is refused
 * by any such document, a cancelled one too; a cancel only by a submitted one
 * (`Document.check_no_back_links_exist`, method "Cancel").
 */
import type { Doc } from './document.js';
import { FrappeError, frappeThrow } from './errors.js';
import { cint, rows, type DocTypeDef } from './doctypes/meta.js';
import { DOCTYPES } from './doctypes/registry.js';
import type { Store } from './store.js';

type LinkCheck = 'Delete' | 'Cancel';

/** A delete of a linked document; doctypes that can be disabled say so too (`delete_doc`'s `except LinkExistsError`). */
export function refuseDeleteIfLinked(store: Store, def: DocTypeDef, doc: Doc): void {
  const other = findLinking(store, doc, 'Delete');
  if (!other) return;
  const linked = linkExists(doc, other);
  if (!('enabled' in def.fields || 'disabled' in def.fields)) throw linked;
  // The first message is already in the message log when the second throw raises (`frappe.throw` msgprints first).
  const suggestion = frappeThrow(`You can disable this ${def.name} instead of deleting it.`, 'LinkExistsError');
  throw new FrappeError('LinkExistsError', {
    exceptionText: suggestion.exceptionText,
    messages: [...linked.messages, ...suggestion.messages],
  });
}

/** A cancel of a document a submitted document still links to. */
export function refuseCancelIfLinked(store: Store, doc: Doc): void {
  const other = findLinking(store, doc, 'Cancel');
  if (other) throw linkExists(doc, other);
}

/** The first document linking to `doc`; a child row counts as its parent document. */
function findLinking(store: Store, doc: Doc, method: LinkCheck): Doc | undefined {
  for (const def of DOCTYPES.values()) {
    const fields = Object.entries(def.fields).filter(([, meta]) => meta.link === doc.doctype).map(([field]) => field);
    const tables = Object.entries(def.tables ?? {}).map(
      ([tableField, table]) =>
        [tableField, Object.entries(table.fields).filter(([, meta]) => meta.link === doc.doctype).map(([field]) => field)] as const,
    );
    for (const other of store.all(def.name)) {
      if (other.doctype === doc.doctype && other.name === doc.name) continue;
      if (method === 'Cancel' && cint(other.docstatus) !== 1) continue;
      if (fields.some((field) => sameName(other[field], doc.name))) return other;
      const inRows = tables.some(([tableField, linkFields]) =>
        rows(other, tableField).some((row) => linkFields.some((field) => sameName(row[field], doc.name))),
      );
      if (inRows) return other;
    }
  }
  return undefined;
}

function sameName(value: unknown, name: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === name.toLowerCase();
}

/**
 * `raise_link_exists_exception(doc, linked doctype, linked name)`, with no row: only dynamic links
 * name one. A single is named once ("linked with  Stock Settings"), and the empty row argument
 * leaves Frappe's trailing space.
 */
function linkExists(doc: Doc, other: Doc): FrappeError {
  const docLink = `<a href="/app/Form/${doc.doctype}/${doc.name}">${doc.name}</a>`;
  const otherLink = `<a href="/app/Form/${other.doctype}/${other.name}">${other.name}</a>`;
  const otherDoctype = other.doctype === other.name ? '' : other.doctype;
  return frappeThrow(
    `Cannot delete or cancel because ${doc.doctype} ${docLink} is linked with ${otherDoctype} ${otherLink} `,
    'LinkExistsError',
  );
}
