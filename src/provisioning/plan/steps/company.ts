import { currencyFor, countryName } from '../../../lib/countries.js';
import { MINUTE } from '../../../lib/time.js';
import { EngineError } from '../../../engine/errors.js';
import { StepCriticality, StepKey } from '../../model.js';
import { companyAbbr, companyName } from '../naming.js';
import { DEFAULT_RETRY, type StepDefinition } from '../step-definition.js';

/**
 * The Company, with a deterministic abbreviation. ERPNext creates the chart, default
 * warehouses and cost centers with it in one request, which is slow: a generous timeout.
 */
export const company: StepDefinition = {
  key: StepKey.COMPANY,
  title: 'Create the company',
  criticality: StepCriticality.CRITICAL,
  timeoutMs: 2 * MINUTE,
  retry: DEFAULT_RETRY,
  async run({ engine, tenant, config, signal }) {
    const name = companyName(tenant);
    const abbr = companyAbbr(tenant);
    const existing = await engine.getCompany(name, { signal });
    if (existing && existing.abbr !== abbr) {
      throw new EngineError(
        'ENGINE_DUPLICATE',
        `A company named "${name}" already exists in the engine with abbreviation ${existing.abbr}, and it is not this tenant's. Rename the tenant, or the company in ERPNext, then retry.`,
      );
    }
    const abbrOwner = await engine.findCompanyByAbbr(abbr, { signal });
    if (abbrOwner && abbrOwner !== name) {
      throw new EngineError('ENGINE_DUPLICATE', `Abbreviation ${abbr} is already used by company "${abbrOwner}" in the engine. Rename that company's abbreviation, then retry.`);
    }
    const result = await engine.ensureCompany(
      {
        companyName: name,
        abbr,
        currency: config.currency || currencyFor(tenant.countryCode),
        country: countryName(tenant.countryCode) ?? tenant.countryCode,
        chartOfAccounts: config.countryTemplate,
      },
      { signal },
    );
    const doc = result.doc;
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
