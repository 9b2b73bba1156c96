import { MINUTE } from '../../../lib/time.js';
import { StepCriticality, StepKey } from '../../model.js';
import { required, type StepDefinition } from '../step-definition.js';

/** Fewer accounts than this means the chart was not imported (a bare company has none). */
export const MIN_ACCOUNTS = 5;

export const chartOfAccounts: StepDefinition = {
  key: StepKey.CHART_OF_ACCOUNTS,
  title: 'Set up the chart of accounts',
  criticality: StepCriticality.CRITICAL,
  dependsOn: [StepKey.COMPANY],
  timeoutMs: 2 * MINUTE,
  async run({ engine, config, resources, signal }) {
    const company = required(resources, 'company');
    const abbr = required(resources, 'abbr');
    const accounts = await engine.listAccounts(company, { signal });
    if (accounts.length >= MIN_ACCOUNTS) {
      return { message: `Chart of accounts present (${accounts.length} accounts)`, resources: { accounts: accounts.length } };
    }
    const chart = await engine.ensureChartOfAccounts(company, abbr, config.countryTemplate, { signal });
    return {
      message: `Imported the ${config.countryTemplate} chart: ${chart.created} accounts created, ${chart.accounts} in all`,
      resources: { accounts: chart.accounts },
    };
  },
};
