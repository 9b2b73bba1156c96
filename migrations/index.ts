import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001InitialSchema } from './0001-initial-schema.js';
import { Migration0003Security } from './0003-security.js';
import { Migration0004FlowControl } from './0004-flow-control.js';
import { Migration0005Webhooks } from './0005-webhooks.js';
import { Migration0006Plans } from './0006-plans.js';
import { Migration0007LeaseLost } from './0007-lease-lost.js';
import { Migration0008Deprovisioning } from './0008-deprovisioning.js';
import { Migration0009EventOutbox } from './0009-event-outbox.js';
import { Migration0010StartRefused } from './0010-start-refused.js';

/**
 * Every migration, in order. Numbered files are never edited once landed: a change of schema
 * is a new file appended here.
 */
export const migrations: MigrationObject[] = [
  { name: '0001-initial-schema', class: Migration0001InitialSchema },
  { name: '0003-security', class: Migration0003Security },
  { name: '0004-flow-control', class: Migration0004FlowControl },
  { name: '0005-webhooks', class: Migration0005Webhooks },
  { name: '0006-plans', class: Migration0006Plans },
  { name: '0007-lease-lost', class: Migration0007LeaseLost },
  { name: '0008-deprovisioning', class: Migration0008Deprovisioning },
  { name: '0009-event-outbox', class: Migration0009EventOutbox },
  { name: '0010-start-refused', class: Migration0010StartRefused },
];
