import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../../lib/validation.js';

/**
 * C0 control characters and DEL, except tab, line feed and carriage return (free text may hold
 * those). PostgreSQL refuses NUL outright (22021/08P01), and none belongs in a name, an email or
 * a password.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * One check for every string argument of every field, input objects and lists included, before
 * any resolver sees it: BAD_USER_INPUT naming the argument's path (`input.name`).
 */
export const refuseControlCharacters: MiddlewareFn = async ({ args }, next) => {
  for (const [name, value] of Object.entries(args)) {
    const path = pathOfControlCharacter(value, name);
    if (path) throw badInput(path, 'must not contain control characters (such as NUL); remove them and send it again.');
  }
  return next();
};

function pathOfControlCharacter(value: unknown, path: string): string | null {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfControlCharacter(item, `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = pathOfControlCharacter(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
