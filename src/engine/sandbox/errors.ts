/**
 * Frappe's error model as the sandbox reproduces it: exception classes with their HTTP status
 * (`frappe/exceptions.py`), message dicts from `msgprint`/`throw`, and the JSON error body
 * of API v1 with the double-encoded `_server_messages`.
 */
import { randomBytes } from 'node:crypto';

/** `http_status_code` of each exception class the sandbox raises (`frappe/exceptions.py`). */
const STATUS_BY_EXC_TYPE = {
  ValidationError: 417,
  MandatoryError: 417,
  LinkValidationError: 417,
  TimestampMismatchError: 417,
  DocstatusTransitionError: 417,
  CannotChangeConstantError: 417,
  UpdateAfterSubmitError: 417,
  LinkExistsError: 417,
  NestedSetChildExistsError: 417,
  DoesNotExistError: 404,
  NameError: 409,
  DuplicateEntryError: 409,
  PermissionError: 403,
  AuthenticationError: 401,
  InvalidAuthorizationToken: 400,
  TooManyRequestsError: 429,
  /** A plain Python exception (e.g. `IndexError`) is a 500 (`app.py` l.314). */
  IndexError: 500,
  /** `frappe.parse_json` on a malformed `filters`/`fields` query value. */
  JSONDecodeError: 500,
  /** What the sandbox reports for an injected 5xx: an unclassified server exception. */
  Exception: 500,
} as const;

export type ExcType = keyof typeof STATUS_BY_EXC_TYPE;

/** Python builtins are not under `frappe.exceptions`, which shows in the `exception` line. */
const PYTHON_BUILTINS: ReadonlySet<ExcType> = new Set(['IndexError', 'JSONDecodeError', 'Exception']);

/** One `msgprint` entry; `_server_messages` is a JSON list of these, each JSON-encoded again. */
export interface MessageDict {
  message: string;
  title?: string;
  indicator?: string;
  alert?: 1;
  raise_exception?: 1;
  __frappe_exc_id?: string;
}

/** A non-fatal `msgprint` (e.g. the Customer rename alert). */
export function msgprint(message: string, options: { title?: string; indicator?: string; alert?: boolean } = {}): MessageDict {
  const dict: MessageDict = { message, title: options.title ?? 'Message' };
  if (options.indicator) dict.indicator = options.indicator;
  if (options.alert) dict.alert = 1;
  return dict;
}

export interface FrappeErrorInit {
  /** Text after `frappe.exceptions.X: ` in the `exception` line; empty when raised bare. */
  exceptionText?: string;
  /** Message dicts the failing request printed (appended to `_server_messages`). */
  messages?: MessageDict[];
  /** `frappe.flags.error_message`, sent as `_error_message` (permission errors). */
  errorMessage?: string;
  /** Overrides the class's status: injected faults answer any status. */
  status?: number;
}

/** A Frappe exception raised while handling a request; the HTTP layer renders it as an API v1 error body. */
export class FrappeError extends Error {
  override readonly name = 'FrappeError';
  readonly excType: ExcType;
  readonly status: number;
  readonly exceptionText: string;
  readonly messages: MessageDict[];
  readonly errorMessage?: string;

  constructor(excType: ExcType, init: FrappeErrorInit = {}) {
    super(init.exceptionText || excType);
    this.excType = excType;
    this.status = init.status ?? STATUS_BY_EXC_TYPE[excType];
    this.exceptionText = init.exceptionText ?? '';
    this.messages = init.messages ?? [];
    this.errorMessage = init.errorMessage;
  }
}

/** `frappe.throw(message, exc, title)`: a red message dict with `raise_exception`. */
export function frappeThrow(message: string, excType: ExcType = 'ValidationError', title = 'Message'): FrappeError {
  return new FrappeError(excType, {
    exceptionText: message,
    messages: [
      { message, title, indicator: 'red', raise_exception: 1, __frappe_exc_id: randomBytes(16).toString('hex') },
    ],
  });
}

/** `Document.load_from_db` on a missing row: "{doctype} {name} not found". */
export function notFound(doctype: string, name: string): FrappeError {
  return frappeThrow(`${doctype} ${name} not found`, 'DoesNotExistError');
}

/** `db_insert` on a primary-key clash: 409 with a "Duplicate Name" msgprint. */
export function duplicateEntry(doctype: string, name: string): FrappeError {
  const integrity = `IntegrityError(1062, "Duplicate entry '${name}' for key 'PRIMARY'")`;
  return new FrappeError('DuplicateEntryError', {
    exceptionText: `('${doctype}', '${name}', ${integrity})`,
    messages: [msgprint(`${doctype} <strong>${name}</strong> already exists`, { title: 'Duplicate Name', indicator: 'red' })],
  });
}

/** Frappe's exception class for each status a `failNext` fault may ask for; 5xx is unclassified. */
const EXC_TYPE_BY_STATUS: Readonly<Record<number, ExcType>> = {
  400: 'InvalidAuthorizationToken',
  401: 'AuthenticationError',
  403: 'PermissionError',
  404: 'DoesNotExistError',
  409: 'DuplicateEntryError',
  417: 'ValidationError',
  429: 'TooManyRequestsError',
};

/** An injected error (the sandbox's own fault knob, not Frappe's) with a Frappe body for its status. */
export function injectedFault(status: number): FrappeError {
  const excType = EXC_TYPE_BY_STATUS[status] ?? 'Exception';
  // The site rate limiter raises TooManyRequestsError bare: no message.
  if (excType === 'TooManyRequestsError') return new FrappeError(excType, { status });
  const thrown = frappeThrow(`Sandbox fault: injected HTTP ${status}`, excType);
  return new FrappeError(excType, { exceptionText: thrown.exceptionText, messages: thrown.messages, status });
}

/** The `exception` line: `frappe.exceptions.ValidationError: message`. */
function exceptionLine(error: FrappeError): string {
  const qualified = PYTHON_BUILTINS.has(error.excType) ? error.excType : `frappe.exceptions.${error.excType}`;
  return error.exceptionText ? `${qualified}: ${error.exceptionText}` : qualified;
}

/** JSON body of `report_error` + `_make_logs_v1`; tracebacks never on 404. */
export function errorBody(error: FrappeError, messageLog: MessageDict[], allowTraceback: boolean): Record<string, string> {
  const body: Record<string, string> = {};
  const withTraceback = allowTraceback && error.status !== 404;
  const line = exceptionLine(error);
  if (withTraceback) body.exception = line;
  body.exc_type = error.excType;
  if (withTraceback) {
    const traceback =
      'Traceback (most recent call last):\n' +
      '  File "apps/frappe/frappe/app.py", line 114, in application\n' +
      '    response = frappe.api.handle(request)\n' +
      `${line}\n`;
    body.exc = JSON.stringify([traceback]);
  }
  if (messageLog.length > 0) body._server_messages = encodeServerMessages(messageLog);
  if (error.errorMessage) body._error_message = error.errorMessage;
  return body;
}

/** `_server_messages`: a JSON string of a list of JSON strings, spaced like Python's json.dumps. */
export function encodeServerMessages(messages: MessageDict[]): string {
  return pythonDumps(messages.map((message) => pythonDumps(message)));
}

/** `json.dumps` of a flat list or dict: `", "` and `": "` separators, as Frappe emits them. */
function pythonDumps(value: string[] | MessageDict): string {
  if (Array.isArray(value)) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${JSON.stringify(item)}`);
  return `{${entries.join(', ')}}`;
}
