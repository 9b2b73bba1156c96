import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EventType } from '../../provisioning/model.js';
import { PageInfo } from '../../tenants/graphql/types.js';
import { WebhookDeliveryStatus } from '../model.js';

registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType('WebhookEndpoint', { description: 'Where provisioning events are POSTed, signed as the Standard Webhooks spec says.' })
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: "The tenant whose events it receives; null: every tenant's (platform admins only)." })
  tenantId!: string | null;

  @Field()
  url!: string;

  @Field(() => [EventType])
  eventTypes!: EventType[];

  @Field({ description: 'Disabled endpoints get no new deliveries; their undelivered ones wait, and are due at once when it is enabled again.' })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is disabled: by whom, or after how long of failing deliveries.' })
  disabledReason!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Since when every attempt failed (null after a success); 3 days of it disable the endpoint.' })
  failingSince!: Date | null;

  @Field()
  createdBy!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType({ description: 'A new endpoint and its signing secret, which is shown this once.' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpointType)
  endpoint!: WebhookEndpointType;

  @Field({ description: 'whsec_<base64>: verify webhook-signature with it (e.g. `new Webhook(secret).verify(body, headers)` of the standardwebhooks package).' })
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One event for one endpoint; its id is the webhook-id header of every attempt.' })
export class WebhookDeliveryType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field(() => ID, { description: 'With seq, the event delivered.' })
  tenantId!: string;

  @Field(() => Int)
  seq!: number;

  @Field(() => EventType)
  eventType!: EventType;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts started so far.' })
  attempts!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the next attempt is due (one in flight keeps it until it ends); null when none is to come.' })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer; null when there was none.' })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When an attempt last succeeded.' })
  deliveredAt!: Date | null;

  @Field(() => JSONObjectResolver, { description: 'The body of every attempt: the event as provisioningEvents delivers it.' })
  payload!: Record<string, unknown>;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field()
  cursor!: string;

  @Field(() => WebhookDeliveryType)
  node!: WebhookDeliveryType;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'https URL, at most 2048 characters (http only to loopback and private addresses, with WEBHOOK_ALLOW_PRIVATE=true).' })
  url!: string;

  @Field(() => [EventType], { description: 'The event types to deliver (at least one).' })
  eventTypes!: EventType[];

  @Field(() => ID, { nullable: true, description: "The tenant whose events to deliver; null: every tenant's (platform admins only)." })
  tenantId?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [EventType], { nullable: true })
  eventTypes?: EventType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Enabling again clears disabledReason and failingSince, and makes its undelivered deliveries due at once.' })
  enabled?: boolean | null;
}
