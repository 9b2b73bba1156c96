import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EventType, ProvisioningType, RunStatus, StepCriticality, StepKey, StepStatus } from '../model.js';

registerEnumType(StepKey, { name: 'StepKey', description: 'The eleven steps of the provisioning plan.' });
registerEnumType(StepCriticality, { name: 'StepCriticality' });
registerEnumType(ProvisioningType, { name: 'ProvisioningType' });
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(StepStatus, { name: 'StepStatus' });
registerEnumType(EventType, { name: 'ProvisioningEventType' });

@ObjectType({ description: 'A step of the plan, as declared (not as run).' })
export class StepDefinition {
  @Field(() => StepKey)
  key!: StepKey;

  @Field(() => Int)
  index!: number;

  @Field()
  title!: string;

  @Field(() => StepCriticality)
  criticality!: StepCriticality;

  @Field({ description: 'Whether skipStep accepts it (NON_CRITICAL and OPTIONAL steps).' })
  skippable!: boolean;

  @Field(() => Int, { description: 'Per attempt, in milliseconds.' })
  timeoutMs!: number;
}

@ObjectType()
export class ProvisioningStep extends StepDefinition {
  @Field(() => StepStatus)
  status!: StepStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => DateTimeResolver, { nullable: true })
  startedAt!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  completedAt!: string | null;

  @Field(() => Int, { nullable: true })
  durationMs!: number | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  skippedBy!: string | null;

  @Field(() => String, { nullable: true })
  skipReason!: string | null;
}

@ObjectType()
export class ProvisioningError {
  @Field(() => StepKey)
  step!: StepKey;

  @Field(() => String, { nullable: true, description: 'e.g. ENGINE_VALIDATION, ENGINE_TIMEOUT.' })
  code!: string | null;

  @Field()
  message!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  at!: string | null;
}

@ObjectType()
export class ProvisioningConfig {
  @Field()
  includeDemoData!: boolean;

  @Field()
  posStoreEnabled!: boolean;

  @Field()
  countryTemplate!: string;

  @Field()
  currency!: string;
}

@ObjectType({ description: 'A provisioning run of a tenant and where it stands.' })
export class Provisioning {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ProvisioningType)
  type!: ProvisioningType;

  @Field(() => ProvisioningConfig)
  config!: ProvisioningConfig;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Float, { description: '(completed + skipped) / totalSteps * 100.' })
  progress!: number;

  @Field(() => StepKey, { nullable: true })
  currentStep!: StepKey | null;

  @Field(() => Int)
  stepsCompleted!: number;

  @Field(() => Int)
  totalSteps!: number;

  @Field(() => [ProvisioningStep])
  steps!: ProvisioningStep[];

  @Field(() => [ProvisioningError])
  errors!: ProvisioningError[];

  @Field(() => JSONObjectResolver, { description: 'Engine names of what the run created or found.' })
  resources!: Record<string, unknown>;

  @Field(() => Int, { description: 'Seq of the tenant event this state follows from.' })
  lastEventSeq!: number;

  @Field(() => Int, { nullable: true, description: 'While QUEUED, its place in the queue (1: next to start); null otherwise.' })
  queuePosition?: number | null;

  @Field(() => Int, { description: 'Higher starts first when runs wait for a slot.' })
  priority!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'While SCHEDULED: when it may start.' })
  runAt!: string | null;

  @Field(() => DateTimeResolver)
  startedAt!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  completedAt!: string | null;
}

@ObjectType({ description: 'A step transition of a tenant, in seq order (gap-free per tenant).' })
export class ProvisioningEvent {
  @Field(() => Int)
  seq!: number;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID, { nullable: true })
  runId!: string | null;

  @Field(() => EventType)
  type!: EventType;

  @Field(() => StepKey, { nullable: true })
  step!: StepKey | null;

  @Field()
  message!: string;

  @Field(() => DateTimeResolver)
  at!: string;

  @Field(() => Provisioning, { nullable: true, description: 'The state right after this event (null before any run).' })
  provisioning!: Provisioning | null;
}

@ObjectType()
export class EngineHealth {
  @Field()
  online!: boolean;

  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;

  @Field(() => DateTimeResolver)
  checkedAt!: Date;

  @Field()
  message!: string;
}

@InputType()
export class StartProvisioningInput {
  @Field(() => ProvisioningType, { defaultValue: ProvisioningType.FULL_POS })
  type!: ProvisioningType;

  @Field({ defaultValue: false })
  includeDemoData!: boolean;

  @Field({ defaultValue: true })
  posStoreEnabled!: boolean;

  @Field(() => String, { nullable: true, description: 'Chart of accounts template; default "Standard".' })
  countryTemplate?: string | null;

  @Field(() => Int, { defaultValue: 0, description: 'Higher starts first when runs wait for a slot (-1000 to 1000); equal ones in order of arrival.' })
  priority!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Not before this time: the run is SCHEDULED until then.' })
  runAt?: Date | null;
}
