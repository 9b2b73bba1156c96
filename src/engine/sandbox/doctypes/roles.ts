/** Role names ERPNext grants the provisioning doctypes to (their DocType permissions). */
export const ALL = 'All';
export const SYSTEM_MANAGER = 'System Manager';
export const ACCOUNTS_MANAGER = 'Accounts Manager';
export const ACCOUNTS_USER = 'Accounts User';
export const ITEM_MANAGER = 'Item Manager';
export const STOCK_MANAGER = 'Stock Manager';
export const STOCK_USER = 'Stock User';
export const SALES_USER = 'Sales User';
export const SALES_MANAGER = 'Sales Manager';
export const SALES_MASTER_MANAGER = 'Sales Master Manager';
export const HR_MANAGER = 'HR Manager';
export const ADMINISTRATOR_ROLE = 'Administrator';

/** Every role the seed creates, so `Has Role` rows can link to them. */
export const SEEDED_ROLES = [
  ADMINISTRATOR_ROLE,
  SYSTEM_MANAGER,
  ACCOUNTS_MANAGER,
  ACCOUNTS_USER,
  ITEM_MANAGER,
  STOCK_MANAGER,
  STOCK_USER,
  SALES_USER,
  SALES_MANAGER,
  SALES_MASTER_MANAGER,
  HR_MANAGER,
  'Purchase User',
  'Purchase Manager',
  'Auditor',
  'Guest',
  ALL,
] as const;
