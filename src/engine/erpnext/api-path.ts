/** A Frappe API path, both as sent (percent-encoded) and as written in messages and traces. */
export interface ApiPath {
  encoded: string;
  readable: string;
  doctype?: string;
}

/**
 * `/api/resource/{doctype}[/{name}]`. Doctype and name are path segments, so spaces and `/`
 * must be percent-encoded (`POS%20Profile`; names may contain `/`).
 */
export function resourcePath(doctype: string, name?: string): ApiPath {
  const encoded = `/api/resource/${encodeURIComponent(doctype)}`;
  const readable = `/api/resource/${doctype}`;
  if (name === undefined) return { encoded, readable, doctype };
  return { encoded: `${encoded}/${encodeURIComponent(name)}`, readable: `${readable}/${name}`, doctype };
}

/** `/api/method/{dotted.path}`: whitelisted RPC. */
export function methodPath(method: string): ApiPath {
  return { encoded: `/api/method/${method}`, readable: `/api/method/${method}` };
}
