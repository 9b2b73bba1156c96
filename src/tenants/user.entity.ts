import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Tenant } from './tenant.entity.js';

export enum UserRole {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  TENANT_ADMIN = 'TENANT_ADMIN',
}

registerEnumType(UserRole, { name: 'UserRole' });

@ObjectType({ description: 'Somebody who can sign in: a platform admin, or the admin of one tenant.' })
@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'createdAt' | 'tenant' | 'tokenVersion';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Unique case-insensitively (index on lower(email)); stored as given, compared lower-cased. */
  @Field()
  @Property({ type: 'text' })
  email!: string;

  /** `scrypt$N$r$p$salt$hash`: never the password itself. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => UserRole)
  @Enum({ items: () => UserRole, type: 'text' })
  role!: UserRole;

  @ManyToOne(() => Tenant, { nullable: true, deleteRule: 'cascade' })
  tenant?: Tenant | null;

  @Field(() => ID, { nullable: true, description: 'The tenant a tenant admin belongs to; null for a platform admin.' })
  get tenantId(): string | null {
    return this.tenant?.id ?? null;
  }

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Bumped when the password changes: tokens issued at an older version are refused. */
  @Property({ type: 'integer', hidden: true })
  tokenVersion: number = 0;
}
