/**
 * The URL map of API v1 (`frappe/api/v1.py`): `/api` and `/api/v1`, trailing slash optional,
 * `<doctype>` one percent-decoded segment, `<name>` the percent-decoded rest (may contain `/`).
 */
export type ApiRoute =
  | { kind: 'method'; method: string }
  | { kind: 'resource'; doctype: string; name?: string }
  /** Under /api but matching no rule: Frappe raises a bare DoesNotExistError (404). */
  | { kind: 'unmatched' };

const API_PREFIXES = ['/api/v1/', '/api/'] as const;

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

export function parseApiRoute(pathname: string): ApiRoute {
  const prefix = API_PREFIXES.find((candidate) => pathname.startsWith(candidate));
  if (!prefix) return { kind: 'unmatched' };
  const rest = pathname.slice(prefix.length).replace(/\/$/, '');
  try {
    if (rest.startsWith('method/')) {
      const method = decodeURIComponent(rest.slice('method/'.length));
      return method ? { kind: 'method', method } : { kind: 'unmatched' };
    }
    if (rest.startsWith('resource/')) {
      const [doctypeSegment = '', ...nameSegments] = rest.slice('resource/'.length).split('/');
      const doctype = decodeURIComponent(doctypeSegment);
      if (!doctype) return { kind: 'unmatched' };
      const name = nameSegments.length > 0 ? decodeURIComponent(nameSegments.join('/')) : undefined;
      return name ? { kind: 'resource', doctype, name } : { kind: 'resource', doctype };
    }
  } catch {
    // A malformed percent-escape matches no rule.
  }
  return { kind: 'unmatched' };
}
