import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Tenant } from '../tenant.entity.js';
import { User } from '../user.entity.js';

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>" (HTTP) or as `authorization` in connection_init (WebSocket).' })
  token!: string;

  @Field(() => DateTimeResolver)
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@ObjectType()
export class TenantEdge {
  @Field()
  cursor!: string;

  @Field(() => Tenant)
  node!: Tenant;
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
