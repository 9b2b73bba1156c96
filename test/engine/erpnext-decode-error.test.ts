import { describe, expect, it } from '@jest/globals';
import { decodeEngineError, decodeServerMessages } from '../../src/engine/erpnext/index.js';

/** `_server_messages` as Frappe writes it: a JSON list of JSON-encoded message dicts. */
function serverMessages(...messages: string[]): string {
  return JSON.stringify(messages.map((message) => JSON.stringify({ message, title: 'Message', indicator: 'red' })));
}

function decode(status: number, body: unknown, headers: Record<string, string> = {}, statusText = 'Reason') {
  return decodeEngineError({
    operation: 'POST /api/resource/Warehouse',
    status,
    statusText,
    headers: new Headers(headers),
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('decodeEngineError', () => {
  it('reads the first server message, double-decoded and without HTML', () => {
    const error = decode(409, {
      exc_type: 'DuplicateEntryError',
      exception: 'frappe.exceptions.DuplicateEntryError: (...)',
      _server_messages: serverMessages('Warehouse <strong>Stores - AL</strong> already exists', 'second'),
    });
    expect(error).toMatchObject({ code: 'ENGINE_DUPLICATE', status: 409, excType: 'DuplicateEntryError' });
    expect(error.message).toBe(
      'POST /api/resource/Warehouse failed (409 DuplicateEntryError): Warehouse Stores - AL already exists',
    );
  });

  it('falls back to _error_message, then exception, then the HTTP reason', () => {
    expect(decode(403, { exc_type: 'PermissionError', _error_message: 'No permission for Company' }).message).toBe(
      'POST /api/resource/Warehouse failed (403 PermissionError): No permission for Company',
    );
    const exception = 'frappe.exceptions.ValidationError: Abbreviation already used for another company';
    expect(decode(417, { exc_type: 'ValidationError', exception }).message).toBe(
      'POST /api/resource/Warehouse failed (417 ValidationError): Abbreviation already used for another company',
    );
    const bareException = { exc_type: 'AuthenticationError', exception: 'frappe.exceptions.AuthenticationError' };
    expect(decode(401, bareException, {}, 'UNAUTHORIZED').message).toBe(
      'POST /api/resource/Warehouse failed (401 AuthenticationError): UNAUTHORIZED',
    );
  });

  it("keeps ERPNext's own words as engineMessage, and none when ERPNext said nothing", () => {
    const linked = decode(417, {
      exc_type: 'LinkExistsError',
      _server_messages: serverMessages('Cannot delete or cancel because Item <a href="/app/Form/Item/X">X</a> is linked with Bin <a>B</a> '),
    });
    expect(linked.engineMessage).toBe('Cannot delete or cancel because Item X is linked with Bin B');
    expect(decode(404, { exc_type: 'DoesNotExistError' }, {}, 'NOT FOUND').engineMessage).toBeUndefined();
    expect(decode(502, '<html>Bad Gateway</html>', {}, 'Bad Gateway').engineMessage).toBeUndefined();
  });

  it.each([
    [400, 'ENGINE_VALIDATION', false],
    [401, 'ENGINE_AUTH', false],
    [403, 'ENGINE_PERMISSION', false],
    [404, 'ENGINE_NOT_FOUND', false],
    [409, 'ENGINE_DUPLICATE', false],
    [417, 'ENGINE_VALIDATION', false],
    [422, 'ENGINE_VALIDATION', false],
    [429, 'ENGINE_RATE_LIMITED', true],
    [500, 'ENGINE_SERVER_ERROR', true],
    [503, 'ENGINE_SERVER_ERROR', true],
  ])('maps a Frappe %i to %s (retryable %s)', (status, code, retryable) => {
    expect(decode(status, { exc_type: 'X' })).toMatchObject({ code, retryable });
  });

  it('takes retryAfterMs from Retry-After seconds, else X-RateLimit-Reset', () => {
    expect(decode(429, { exc_type: 'TooManyRequestsError' }, { 'Retry-After': '12' }).retryAfterMs).toBe(12_000);
    expect(decode(429, { exc_type: 'TooManyRequestsError' }, { 'X-RateLimit-Reset': '2.5' }).retryAfterMs).toBe(2_500);
    expect(decode(429, { exc_type: 'TooManyRequestsError' }).retryAfterMs).toBeUndefined();
  });

  it('an unparsable body is ENGINE_BAD_RESPONSE, but stays transient on 5xx and 429', () => {
    expect(decode(404, '<html>nginx</html>')).toMatchObject({ code: 'ENGINE_BAD_RESPONSE', retryable: false });
    expect(decode(502, '<html>Bad Gateway</html>', {}, 'Bad Gateway')).toMatchObject({
      code: 'ENGINE_SERVER_ERROR',
      retryable: true,
      message: 'POST /api/resource/Warehouse failed (502): Bad Gateway (the body is not Frappe JSON)',
    });
    expect(decode(429, 'Too Many Requests', { 'Retry-After': '1' })).toMatchObject({
      code: 'ENGINE_RATE_LIMITED',
      retryAfterMs: 1000,
    });
  });
});

describe('decodeServerMessages', () => {
  it('ignores what is not a double-encoded list', () => {
    expect(decodeServerMessages(undefined)).toEqual([]);
    expect(decodeServerMessages('not json')).toEqual([]);
    expect(decodeServerMessages(serverMessages('Could not find <a href="/x">Company</a>: Nope &amp; Co'))).toEqual([
      'Could not find Company: Nope & Co',
    ]);
  });
});
