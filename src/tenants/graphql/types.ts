import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EngineKind, TenantProvisioningStatus, UserRole } from '../model.js';

registerEnumType(TenantProvisioningStatus, { name: 'TenantProvisioningStatus' });
registerEnumType(EngineKind, { name: 'EngineKind', description: 'The ERP engine a tenant is provisioned into.' });
registerEnumType(UserRole, { name: 'UserRole' });

/** GraphQL's view of a Tenant entity (resolvers return the entities themselves). */
@ObjectType('Tenant', { description: 'A workspace of the platform, provisioned into an ERP engine.' })
export class TenantType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'URL-safe unique name derived from the name.' })
  slug!: string;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  countryCode!: string;

  @Field(() => EngineKind)
  engine!: EngineKind;

  @Field()
  adminEmail!: string;

  @Field()
  adminName!: string;

  @Field(() => TenantProvisioningStatus)
  provisioningStatus!: TenantProvisioningStatus;

  @Field(() => DateTimeResolver, { nullable: true })
  provisionedAt?: Date | null;

  @Field(() => String, { nullable: true })
  provisioningError?: string | null;

  @Field(() => Int, { description: 'Sequence number of the latest provisioning event of this tenant.' })
  lastEventSeq!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

/** GraphQL's view of a User entity. */
@ObjectType('User', { description: 'Somebody who can sign in: a platform admin, or the admin of one tenant.' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => ID, { nullable: true, description: 'The tenant a tenant admin belongs to; null for a platform admin.' })
  tenantId!: string | null;
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>" (HTTP) or as `authorization` in connection_init (WebSocket).' })
  token!: string;

  @Field(() => DateTimeResolver)
  expiresAt!: Date;

  @Field(() => UserType)
  user!: UserType;
}

@ObjectType()
export class TenantEdge {
  @Field()
  cursor!: string;

  @Field(() => TenantType)
  node!: TenantType;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class TenantConnection {
  @Field(() => [TenantEdge])
  edges!: TenantEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
