/**
 * `/api/resource/{doctype}[/{name}]`: list, insert, read, update,
 * delete, and `run_method` on a document.
 */
import { serialise } from './document.js';
import { FrappeError, frappeThrow, notFound } from './errors.js';
import { candidates, parseListQuery, runListQuery, type QueryArgs } from './list-query.js';
import { text } from './doctypes/meta.js';
import { docTypeOf } from './doctypes/registry.js';
import { hasPermission } from './permissions.js';
import type { RequestScope } from './documents.js';

/** A handled request: HTTP status and the value of `data` (the envelope is added by the caller). */
export interface ResourceResult {
  status: number;
  data: unknown;
}

export interface ResourceRequest {
  method: string;
  doctype: string;
  name?: string;
  query: QueryArgs;
  /** The parsed request body (`get_request_form_data`). */
  body: Record<string, unknown>;
}

export function handleResource(scope: RequestScope, request: ResourceRequest): ResourceResult | 'method-not-allowed' {
  const def = docTypeOf(request.doctype);
  const { name } = request;
  if (name === undefined) {
    if (request.method === 'GET') {
      // `frappe.get_list` → has_permission(throw=True): "No permission for {doctype}".
      if (!hasPermission(scope.store, scope.user, def, 'read')) {
        throw new FrappeError('PermissionError', { errorMessage: `No permission for ${def.name}` });
      }
      const query = parseListQuery(def, request.query);
      return { status: 200, data: runListQuery(def, candidates(scope.store, def, query.filters), query) };
    }
    if (request.method === 'POST') return { status: 200, data: serialise(scope.insert(def.name, request.body)) };
    return 'method-not-allowed';
  }
  switch (request.method) {
    case 'GET': {
      const doc = scope.store.get(def.name, def.single ? def.name : name);
      if (!doc) throw notFound(def.name, name);
      // F15 `read_doc`: a bare PermissionError, no message.
      if (!hasPermission(scope.store, scope.user, def, 'read')) throw new FrappeError('PermissionError');
      return { status: 200, data: serialise(doc) };
    }
    case 'PUT':
      return { status: 200, data: serialise(scope.update(def.name, name, request.body)) };
    case 'DELETE':
      scope.remove(def.name, name);
      return { status: 202, data: 'ok' };
    case 'POST':
      return { status: 200, data: serialise(runDocMethod(scope, def.name, name, request.body)) };
    default:
      return 'method-not-allowed';
  }
}

/** `execute_doc_method`: `{"run_method": "submit"}` (or `cancel`) on a stored document. */
function runDocMethod(scope: RequestScope, doctype: string, name: string, body: Record<string, unknown>) {
  const method = text(body.run_method);
  if (method === 'submit') return scope.update(doctype, name, { docstatus: 1 });
  if (method === 'cancel') return scope.cancel(doctype, name);
  throw frappeThrow('Not permitted', 'PermissionError');
}
