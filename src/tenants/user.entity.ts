import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { UserRole } from './model.js';
import { Tenant } from './tenant.entity.js';

/** Somebody who can sign in: a platform admin, or the admin of one tenant. */
@Entity({ tableName: 'app_user' })
@Index({ name: 'app_user_email_unique', expression: 'CREATE UNIQUE INDEX app_user_email_unique ON app_user (lower(email))' })
@Check({ name: 'app_user_tenant_admin_has_tenant', expression: "role <> 'TENANT_ADMIN' OR tenant_id IS NOT NULL" })
export class User {
  [OptionalProps]?: 'createdAt' | 'tenant' | 'tokenVersion';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Unique case-insensitively (index on lower(email)); stored as given, compared lower-cased. */
  @Property({ type: 'text' })
  email!: string;

  /** `scrypt$N$r$p$salt$hash`: never the password itself. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  role!: UserRole;

  @ManyToOne(() => Tenant, { nullable: true, deleteRule: 'cascade', foreignKeyName: 'app_user_tenant_id_fkey' })
  tenant?: Tenant | null;

  /** The tenant a tenant admin belongs to; null for a platform admin. */
  get tenantId(): string | null {
    return this.tenant?.id ?? null;
  }

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Bumped when the password changes: tokens issued at an older version are refused. */
  @Property({ type: 'integer', hidden: true })
  tokenVersion: number = 0;
}
