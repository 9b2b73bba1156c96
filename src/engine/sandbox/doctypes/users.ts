/**
 * User: named by its (lower-cased) email, roles in the `Has Role` table; `api_key`/`api_secret`
 * are what token auth checks (`frappe/auth.py`); a disabled user's key no longer signs in.
 */
import { frappeThrow } from '../errors.js';
import { ADMINISTRATOR, GUEST } from '../permissions.js';
import { cint, text, type DocTypeDef } from './meta.js';
import { SYSTEM_MANAGER } from './roles.js';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** frappe's `STANDARD_USERS`: they can be neither disabled nor deleted (`user.py`). */
const STANDARD_USERS: ReadonlySet<string> = new Set([ADMINISTRATOR, GUEST]);

export const USER: DocTypeDef = {
  name: 'User',
  fields: {
    email: { label: 'Email', reqd: true },
    first_name: { label: 'First Name', reqd: true },
    enabled: { label: 'Enabled', default: 1 },
    user_type: { label: 'User Type', default: 'System User', options: ['System User', 'Website User'] },
  },
  tables: {
    roles: { label: 'Roles Assigned', childDoctype: 'Has Role', fields: { role: { label: 'Role', link: 'Role' } } },
  },
  permissions: { read: [SYSTEM_MANAGER], write: [SYSTEM_MANAGER] },
  // `user.py` autoname: `self.email = self.email.strip().lower(); self.name = self.email`.
  autoname: (doc) => {
    doc.email = text(doc.email).trim().toLowerCase();
    return text(doc.email);
  },
  validate: (doc) => {
    // check_enable_disable
    if (!cint(doc.enabled) && STANDARD_USERS.has(doc.name)) throw frappeThrow(`User ${doc.name} cannot be disabled`);
    const email = text(doc.email).trim();
    if (email && !EMAIL_PATTERN.test(email)) {
      throw frappeThrow(`${email} is not a valid Email Address`, 'ValidationError', 'Invalid Email Address');
    }
    doc.full_name = [text(doc.first_name), text(doc.middle_name), text(doc.last_name)].filter(Boolean).join(' ');
  },
  onTrash: (doc) => {
    if (STANDARD_USERS.has(doc.name)) throw frappeThrow(`User ${doc.name} cannot be deleted`);
  },
};
