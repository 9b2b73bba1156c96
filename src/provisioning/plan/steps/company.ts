import { currencyFor, countryName } from '../../../lib/countries.js';
import { MINUTE } from '../../../lib/time.js';
import { EngineError, isEngineError } from '../../../engine/errors.js';
import type { CompanyInput, ErpEngine } from '../../../engine/port.js';
import { StepCriticality, StepKey } from '../../model.js';
import { companyAbbrCandidates, companyName } from '../naming.js';
import type { StepDefinition } from '../step-definition.js';

/**
 * The Company, with the first free abbreviation of the tenant's candidates. ERPNext creates the
 * chart, default warehouses and cost centers with it in one request, which is slow: a generous
 * timeout.
 */
export const company: StepDefinition = {
  key: StepKey.COMPANY,
  title: 'Create the company',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.ENGINE_CHECK],
  // The heaviest request ERPNext gets from us: when the site struggles under it, back off
  // further between attempts (up to 60 x RETRY_BASE_MS, a minute) than other steps do.
  retry: { capMultiple: 60 },
  timeoutMs: 2 * MINUTE,
  async run({ engine, tenant, config, signal }) {
    const name = companyName(tenant);
    const candidates = companyAbbrCandidates(tenant);
    const input = {
      companyName: name,
      currency: config.currency || currencyFor(tenant.countryCode),
      country: countryName(tenant.countryCode) ?? tenant.countryCode,
      chartOfAccounts: config.countryTemplate,
    };
    const existing = await engine.getCompany(name, { signal });
    if (existing && !candidates.includes(existing.abbr)) {
      throw new EngineError(
        'ENGINE_DUPLICATE',
        `A company named "${name}" already exists in the engine with abbreviation ${existing.abbr}, and it is not this tenant's. Rename the tenant, or the company in ERPNext, then retry.`,
      );
    }
    const result = existing
      ? await engine.ensureCompany({ ...input, abbr: existing.abbr }, { signal })
      : await createWithFreeAbbr(engine, input, candidates, signal);
    const doc = result.doc;
    const abbr = doc.abbr;
    return {
      message: result.created ? `Created company ${result.name} (${abbr})` : `Company ${result.name} already exists`,
      resources: {
        company: result.name,
        abbr,
        currency: doc.default_currency,
        costCenter: doc.cost_center ?? `Main - ${abbr}`,
        writeOffAccount: doc.write_off_account ?? `Write Off - ${abbr}`,
      },
    };
  },
};

/** Tries the candidates in order; one taken meanwhile by another tenant's company is skipped. */
async function createWithFreeAbbr(engine: ErpEngine, input: Omit<CompanyInput, 'abbr'>, candidates: string[], signal: AbortSignal) {
  for (const abbr of candidates) {
    const owner = await engine.findCompanyByAbbr(abbr, { signal });
    if (owner && owner !== input.companyName) continue;
    try {
      return await engine.ensureCompany({ ...input, abbr }, { signal });
    } catch (error) {
      if (!isAbbrTaken(error)) throw error;
    }
  }
  throw new EngineError('ENGINE_DUPLICATE', `Every abbreviation this tenant may use (${candidates.join(', ')}) is taken by another company in the engine. Free one of them, then retry.`);
}

/** ERPNext's answer when two companies race for one abbreviation (`company.py` validate). */
function isAbbrTaken(error: unknown): boolean {
  return isEngineError(error) && error.code === 'ENGINE_VALIDATION' && /Abbreviation already used/i.test(error.message);
}
