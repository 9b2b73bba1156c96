import { AppError } from './errors.js';

/**
 * Small, explicit input checks. Each failure is a BAD_USER_INPUT naming the field and saying
 * what a valid value looks like, so a caller can fix the request without reading our code.
 */
export function badInput(field: string, message: string): AppError {
  return new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
}

export function requiredText(field: string, value: string | null | undefined, maxLength: number): string {
  const text = (value ?? '').trim();
  if (!text) throw badInput(field, 'must not be empty.');
  if (text.length > maxLength) throw badInput(field, `must be at most ${maxLength} characters (got ${text.length}).`);
  return text;
}

export function optionalText(field: string, value: string | null | undefined, maxLength: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requiredText(field, value, maxLength);
}

// Pragmatic: one @, no spaces, a dot in the domain. RFC 5322 in full accepts what no mailbox has.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The longest address SMTP can carry (RFC 5321). */
export const EMAIL_MAX_LENGTH = 254;

export function email(field: string, value: string | null | undefined): string {
  const text = requiredText(field, value, EMAIL_MAX_LENGTH);
  if (!EMAIL.test(text)) throw badInput(field, `"${truncate(text)}" is not a valid email address (expected name@example.com).`);
  return text.toLowerCase();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function uuid(field: string, value: string): string {
  if (!isUuid(value)) {
    throw badInput(field, `"${truncate(String(value))}" is not a valid id (expected a UUID such as 3f2b8c1e-9a4d-4e7f-8b1a-2c3d4e5f6a7b).`);
  }
  return value.toLowerCase();
}

export function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
