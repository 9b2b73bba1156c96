import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { DeprovisionMode, EventType, ProvisioningTemplate, ProvisioningType, RunKind, RunStatus, StepCriticality, StepKey, StepStatus } from '../model.js';

registerEnumType(StepKey, { name: 'StepKey', description: 'The steps a template may have; UNKNOWN stands for a stored step this version of the service does not know.' });
registerEnumType(StepCriticality, { name: 'StepCriticality' });
registerEnumType(ProvisioningType, { name: 'ProvisioningType', description: 'Older name of ProvisioningTemplate.' });
registerEnumType(ProvisioningTemplate, { name: 'ProvisioningTemplate', description: 'A business a run sets up.' });
registerEnumType(RunKind, {
  name: 'RunKind',
  description: 'What a run does to the tenant in the engine.',
  valuesConfig: {
    PROVISION: { description: 'Sets it up from a template (startProvisioning).' },
    DEPROVISION: { description: 'Takes down what provisioning set up (deprovisionTenant).' },
  },
});
registerEnumType(DeprovisionMode, {
  name: 'DeprovisionMode',
  description: 'How far deprovisionTenant goes.',
  valuesConfig: {
    DISABLE: { description: 'Closes the open POS sessions, disables the POS profile and the engine user; keeps the company and its books.' },
    REMOVE: { description: 'DISABLE, then deletes what provisioning created, in reverse order, where ERPNext allows it (a company with transactions is kept, its step says why).' },
  },
});
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(StepStatus, { name: 'StepStatus' });
registerEnumType(EventType, { name: 'ProvisioningEventType' });

/**
 * For the run's view and its events: plain data whose fields take no arguments, so graphql-js's
 * own resolver reads them. type-graphql would otherwise wrap every field in the global
 * middlewares, which act only on root fields and on arguments, at a few promises a field: a
 * status query resolves about 170 of them. 434 against 384 status queries/s at 50 clients,
 * 2,234 against 2,568 µs of the service's CPU each.
 */
const PLAIN_DATA = { simpleResolvers: true } as const;

@InterfaceType('Step', { description: 'A step of a template, as declared (StepDefinition) or as a run has it (ProvisioningStep).' })
abstract class StepBase {
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

  @Field(() => Int, { description: 'Per attempt, in milliseconds, as declared (STEP_TIMEOUT_SCALE multiplies it).' })
  timeoutMs!: number;

  @Field(() => [StepKey], { description: 'Steps that must be COMPLETED or SKIPPED before this one starts.' })
  dependsOn!: StepKey[];
}

@ObjectType()
export class MaxAttemptsOn {
  @Field()
  code!: string;

  @Field(() => Int)
  attempts!: number;
}

@ObjectType({ description: "How a step retries transient engine failures: its own policy, the service's defaults filled in." })
export class RetryPolicy {
  @Field(() => Int, { description: 'Attempts in all, the first included.' })
  maxAttempts!: number;

  @Field(() => Float, { description: "No retry starts later than this after the step's first attempt began, in milliseconds." })
  budgetMs!: number;

  @Field(() => Float, { description: 'The first delay, in milliseconds; then doubling, jittered.' })
  firstDelayMs!: number;

  @Field(() => Float, { description: 'The longest delay, in milliseconds (a 429 Retry-After may be longer).' })
  maxDelayMs!: number;

  @Field(() => [String], { description: 'Error codes that are retried.' })
  retryOn!: string[];

  @Field(() => [MaxAttemptsOn], { description: 'Fewer attempts for these error codes.' })
  maxAttemptsOn!: MaxAttemptsOn[];
}

@ObjectType({ description: 'A step of a template, as declared (not as run).', implements: StepBase })
export class StepDefinition extends StepBase {
  @Field(() => RetryPolicy)
  retryPolicy!: RetryPolicy;
}

@ObjectType({ description: 'A business a run can be provisioned as: its steps and their inputs.' })
export class ProvisioningTemplateDefinition {
  @Field(() => ProvisioningTemplate)
  key!: ProvisioningTemplate;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => [StepDefinition], { description: 'In order; steps whose dependencies are done run side by side.' })
  steps!: StepDefinition[];
}

@ObjectType({ implements: StepBase, ...PLAIN_DATA })
export class ProvisioningStep extends StepBase {
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

@ObjectType({ ...PLAIN_DATA })
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

@ObjectType({ ...PLAIN_DATA })
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

@ObjectType({ description: 'A run of a tenant, provisioning or deprovisioning, and where it stands.', ...PLAIN_DATA })
export class Provisioning {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => RunKind)
  kind!: RunKind;

  @Field(() => DeprovisionMode, { nullable: true, description: 'A deprovisioning\'s mode; null for a provisioning.' })
  deprovisionMode!: DeprovisionMode | null;

  @Field(() => ProvisioningType, { deprecationReason: 'Use template.' })
  type!: ProvisioningType;

  @Field(() => ProvisioningTemplate, { description: 'The template it sets up; for a deprovisioning, the one the tenant was provisioned with.' })
  template!: ProvisioningTemplate;

  @Field(() => ProvisioningConfig)
  config!: ProvisioningConfig;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Float, { description: '(completed + skipped) / totalSteps * 100.' })
  progress!: number;

  @Field(() => StepKey, { nullable: true, description: 'The first of runningSteps, or the step where the run stopped.' })
  currentStep!: StepKey | null;

  @Field(() => [StepKey], { description: 'Steps under way now (several when their dependencies allow).' })
  runningSteps!: StepKey[];

  @Field(() => Int)
  stepsCompleted!: number;

  @Field(() => Int)
  totalSteps!: number;

  @Field(() => [ProvisioningStep])
  steps!: ProvisioningStep[];

  @Field(() => [ProvisioningError])
  errors!: ProvisioningError[];

  @Field(() => JSONObjectResolver, { description: 'Engine names of what the run created or found; for a deprovisioning, of what it takes down.' })
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

@ObjectType({ description: 'A step transition of a tenant, in seq order (gap-free per tenant).', ...PLAIN_DATA })
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
  @Field(() => ProvisioningTemplate, { nullable: true, description: 'What to set up (default FULL_POS); see provisioningTemplates.' })
  template?: ProvisioningTemplate | null;

  @Field(() => ProvisioningType, { nullable: true, description: 'Older name of template: FULL_POS and BASIC are the templates of that name, CUSTOM is FULL_POS.' })
  type?: ProvisioningType | null;

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
