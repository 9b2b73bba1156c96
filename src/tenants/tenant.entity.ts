import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum TenantProvisioningStatus {
  NOT_PROVISIONED = 'NOT_PROVISIONED',
  PROVISIONING = 'PROVISIONING',
  PROVISIONED = 'PROVISIONED',
  PARTIAL = 'PARTIAL',
  FAILED = 'FAILED',
}

export enum EngineKind {
  ERPNEXT = 'ERPNEXT',
}

registerEnumType(TenantProvisioningStatus, { name: 'TenantProvisioningStatus' });
registerEnumType(EngineKind, { name: 'EngineKind', description: 'The ERP engine a tenant is provisioned into.' });

@ObjectType({ description: 'A workspace of the platform, provisioned into an ERP engine.' })
@Entity({ tableName: 'tenant' })
export class Tenant {
  [OptionalProps]?: 'engine' | 'provisioningStatus' | 'lastEventSeq' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'URL-safe unique name derived from the name.' })
  @Property({ type: 'text', unique: true })
  slug!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  category?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  @Property({ type: 'string', length: 2 })
  countryCode!: string;

  @Field(() => EngineKind)
  @Enum({ items: () => EngineKind, type: 'text' })
  engine: EngineKind = EngineKind.ERPNEXT;

  @Field()
  @Property({ type: 'text' })
  adminEmail!: string;

  @Field()
  @Property({ type: 'text' })
  adminName!: string;

  @Field(() => TenantProvisioningStatus)
  @Enum({ items: () => TenantProvisioningStatus, type: 'text' })
  provisioningStatus: TenantProvisioningStatus = TenantProvisioningStatus.NOT_PROVISIONED;

  @Field(() => DateTimeResolver, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  provisionedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  provisioningError?: string | null;

  /** Last event sequence number of this tenant; bumped under the row lock (see append-event). */
  @Field(() => Int, { description: 'Sequence number of the latest provisioning event of this tenant.' })
  @Property({ type: 'integer' })
  lastEventSeq: number = 0;

  @Field(() => DateTimeResolver)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => DateTimeResolver)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
