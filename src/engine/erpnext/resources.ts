import { EngineError, isEngineError } from '../errors.js';
import { methodPath, resourcePath } from './api-path.js';
import { operationOf, type ApiRequest, type FrappeHttp } from './http.js';

export type Doc = Record<string, unknown> & { name: string };
/** List filters in Frappe's list form: `[field, operator, value]`. */
export type Filter = [string, string, unknown];

export interface ListQuery {
  filters: Filter[];
  fields: string[];
  /** Rows wanted; `0` means all. Always explicit, because Frappe's default is 20. */
  limit: number;
  orderBy?: string;
}

export interface CallRequest {
  args?: Record<string, unknown>;
  authenticated?: boolean;
  signal?: AbortSignal;
}

/** Document and RPC access over `/api/resource` and `/api/method`, with the envelopes removed. */
export class FrappeResources {
  constructor(private readonly http: FrappeHttp) {}

  /** The document; a missing one is an ENGINE_NOT_FOUND error. */
  async read<T extends Doc = Doc>(doctype: string, name: string, signal?: AbortSignal): Promise<T> {
    return this.document<T>({ method: 'GET', path: resourcePath(doctype, name), signal });
  }

  /** The document, or null when the engine says 404 (a 404 on GET by name means absent). */
  async get<T extends Doc = Doc>(doctype: string, name: string, signal?: AbortSignal): Promise<T | null> {
    try {
      return await this.read<T>(doctype, name, signal);
    } catch (error) {
      if (isEngineError(error) && error.code === 'ENGINE_NOT_FOUND') return null;
      throw error;
    }
  }

  async list<T extends Record<string, unknown>>(doctype: string, query: ListQuery, signal?: AbortSignal): Promise<T[]> {
    const request: ApiRequest = {
      method: 'GET',
      path: resourcePath(doctype),
      query: {
        filters: JSON.stringify(query.filters),
        fields: JSON.stringify(query.fields),
        limit_page_length: String(query.limit),
        ...(query.orderBy ? { order_by: query.orderBy } : {}),
      },
      signal,
    };
    const data = (await this.http.send(request)).data;
    if (!Array.isArray(data)) throw badEnvelope(request, 'a `data` list');
    return data as T[];
  }

  /** The name of the oldest document matching `filters`, or null: how names that get suffixes are found. */
  async firstName(doctype: string, filters: Filter[], signal?: AbortSignal): Promise<string | null> {
    const rows = await this.list<{ name: string }>(doctype, { filters, fields: ['name'], limit: 1, orderBy: 'creation asc' }, signal);
    return rows[0]?.name ?? null;
  }

  /** The oldest document matching `filters`, or null. */
  async first<T extends Doc = Doc>(doctype: string, filters: Filter[], signal?: AbortSignal): Promise<T | null> {
    const name = await this.firstName(doctype, filters, signal);
    return name === null ? null : this.get<T>(doctype, name, signal);
  }

  async insert<T extends Doc = Doc>(doctype: string, doc: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    return this.document<T>({ method: 'POST', path: resourcePath(doctype), body: doc, signal });
  }

  /** Partial update: only the keys sent change; a child table sent replaces the stored one (`update_doc`). */
  async update<T extends Doc = Doc>(
    doctype: string,
    name: string,
    changes: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.document<T>({ method: 'PUT', path: resourcePath(doctype, name), body: changes, signal });
  }

  /** `DELETE /api/resource/{doctype}/{name}`: 202 `{"data": "ok"}`; a missing document is ENGINE_NOT_FOUND. */
  async delete(doctype: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.http.send({ method: 'DELETE', path: resourcePath(doctype, name), signal });
  }

  /**
   * Calls a whitelisted method and returns its `message` (absent when it returned None). With
   * `args` it is a POST of them as JSON, as methods that write require.
   */
  async call(method: string, options: CallRequest = {}): Promise<unknown> {
    const { args, ...rest } = options;
    const body = await this.http.send({ method: args ? 'POST' : 'GET', path: methodPath(method), body: args, ...rest });
    return body.message;
  }

  private async document<T extends Doc>(request: ApiRequest): Promise<T> {
    const data = (await this.http.send(request)).data;
    if (typeof data !== 'object' || data === null || typeof (data as Doc).name !== 'string') {
      throw badEnvelope(request, 'a `data` document with a name');
    }
    return data as T;
  }
}

function badEnvelope(request: ApiRequest, expected: string): EngineError {
  const operation = operationOf(request);
  return new EngineError('ENGINE_BAD_RESPONSE', `${operation} answered without ${expected}`, { operation });
}
