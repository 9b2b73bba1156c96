/**
 * ERPNext's "Standard" chart of accounts (verified/standard_chart_of_accounts.py), as the 81
 * accounts a new company gets: account names without the ` - ABBR` suffix, parents before children.
 */
export interface ChartAccount {
  accountName: string;
  parentAccountName: string | null;
  rootType: 'Asset' | 'Liability' | 'Equity' | 'Income' | 'Expense';
  reportType: 'Balance Sheet' | 'Profit and Loss';
  isGroup: boolean;
  accountType: string | null;
}

type Row = [string, string | null, ChartAccount['rootType'], ChartAccount['reportType'], 0 | 1, string | null];

const ROWS: Row[] = [
  ["Application of Funds (Assets)", null, "Asset", "Balance Sheet", 1, null],
  ["Current Assets", "Application of Funds (Assets)", "Asset", "Balance Sheet", 1, null],
  ["Accounts Receivable", "Current Assets", "Asset", "Balance Sheet", 1, null],
  ["Debtors", "Accounts Receivable", "Asset", "Balance Sheet", 0, "Receivable"],
  ["Bank Accounts", "Current Assets", "Asset", "Balance Sheet", 1, "Bank"],
  ["Cash In Hand", "Current Assets", "Asset", "Balance Sheet", 1, "Cash"],
  ["Cash", "Cash In Hand", "Asset", "Balance Sheet", 0, "Cash"],
  ["Loans and Advances (Assets)", "Current Assets", "Asset", "Balance Sheet", 1, null],
  ["Employee Advances", "Loans and Advances (Assets)", "Asset", "Balance Sheet", 0, "Payable"],
  ["Securities and Deposits", "Current Assets", "Asset", "Balance Sheet", 1, null],
  ["Earnest Money", "Securities and Deposits", "Asset", "Balance Sheet", 0, null],
  ["Stock Assets", "Current Assets", "Asset", "Balance Sheet", 1, "Stock"],
  ["Stock In Hand", "Stock Assets", "Asset", "Balance Sheet", 0, "Stock"],
  ["Tax Assets", "Current Assets", "Asset", "Balance Sheet", 1, null],
  ["Fixed Assets", "Application of Funds (Assets)", "Asset", "Balance Sheet", 1, null],
  ["Capital Equipment", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Electronic Equipment", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Furniture and Fixtures", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Office Equipment", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Plants and Machineries", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Buildings", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Software", "Fixed Assets", "Asset", "Balance Sheet", 0, "Fixed Asset"],
  ["Accumulated Depreciation", "Fixed Assets", "Asset", "Balance Sheet", 0, "Accumulated Depreciation"],
  ["CWIP Account", "Fixed Assets", "Asset", "Balance Sheet", 0, "Capital Work in Progress"],
  ["Investments", "Application of Funds (Assets)", "Asset", "Balance Sheet", 1, null],
  ["Temporary Accounts", "Application of Funds (Assets)", "Asset", "Balance Sheet", 1, null],
  ["Temporary Opening", "Temporary Accounts", "Asset", "Balance Sheet", 0, "Temporary"],
  ["Expenses", null, "Expense", "Profit and Loss", 1, null],
  ["Direct Expenses", "Expenses", "Expense", "Profit and Loss", 1, null],
  ["Stock Expenses", "Direct Expenses", "Expense", "Profit and Loss", 1, null],
  ["Cost of Goods Sold", "Stock Expenses", "Expense", "Profit and Loss", 0, "Cost of Goods Sold"],
  ["Expenses Included In Asset Valuation", "Stock Expenses", "Expense", "Profit and Loss", 0, "Expenses Included In Asset Valuation"],
  ["Expenses Included In Valuation", "Stock Expenses", "Expense", "Profit and Loss", 0, "Expenses Included In Valuation"],
  ["Stock Adjustment", "Stock Expenses", "Expense", "Profit and Loss", 0, "Stock Adjustment"],
  ["Indirect Expenses", "Expenses", "Expense", "Profit and Loss", 1, null],
  ["Administrative Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Commission on Sales", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Depreciation", "Indirect Expenses", "Expense", "Profit and Loss", 0, "Depreciation"],
  ["Entertainment Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Freight and Forwarding Charges", "Indirect Expenses", "Expense", "Profit and Loss", 0, "Chargeable"],
  ["Legal Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Marketing Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, "Chargeable"],
  ["Miscellaneous Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, "Chargeable"],
  ["Office Maintenance Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Office Rent", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Postal Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Print and Stationery", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Round Off", "Indirect Expenses", "Expense", "Profit and Loss", 0, "Round Off"],
  ["Salary", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Sales Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Telephone Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Travel Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Utility Expenses", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Write Off", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Exchange Gain/Loss", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Gain/Loss on Asset Disposal", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Impairment", "Indirect Expenses", "Expense", "Profit and Loss", 0, null],
  ["Income", null, "Income", "Profit and Loss", 1, null],
  ["Direct Income", "Income", "Income", "Profit and Loss", 1, null],
  ["Sales", "Direct Income", "Income", "Profit and Loss", 0, null],
  ["Service", "Direct Income", "Income", "Profit and Loss", 0, null],
  ["Indirect Income", "Income", "Income", "Profit and Loss", 1, null],
  ["Source of Funds (Liabilities)", null, "Liability", "Balance Sheet", 1, null],
  ["Current Liabilities", "Source of Funds (Liabilities)", "Liability", "Balance Sheet", 1, null],
  ["Accounts Payable", "Current Liabilities", "Liability", "Balance Sheet", 1, null],
  ["Creditors", "Accounts Payable", "Liability", "Balance Sheet", 0, "Payable"],
  ["Payroll Payable", "Accounts Payable", "Liability", "Balance Sheet", 0, null],
  ["Stock Liabilities", "Current Liabilities", "Liability", "Balance Sheet", 1, null],
  ["Stock Received But Not Billed", "Stock Liabilities", "Liability", "Balance Sheet", 0, "Stock Received But Not Billed"],
  ["Asset Received But Not Billed", "Stock Liabilities", "Liability", "Balance Sheet", 0, "Asset Received But Not Billed"],
  ["Duties and Taxes", "Current Liabilities", "Liability", "Balance Sheet", 1, "Tax"],
  ["Loans (Liabilities)", "Current Liabilities", "Liability", "Balance Sheet", 1, null],
  ["Secured Loans", "Loans (Liabilities)", "Liability", "Balance Sheet", 0, null],
  ["Unsecured Loans", "Loans (Liabilities)", "Liability", "Balance Sheet", 0, null],
  ["Bank Overdraft Account", "Loans (Liabilities)", "Liability", "Balance Sheet", 0, null],
  ["Equity", null, "Equity", "Balance Sheet", 1, null],
  ["Capital Stock", "Equity", "Equity", "Balance Sheet", 0, "Equity"],
  ["Dividends Paid", "Equity", "Equity", "Balance Sheet", 0, "Equity"],
  ["Opening Balance Equity", "Equity", "Equity", "Balance Sheet", 0, "Equity"],
  ["Retained Earnings", "Equity", "Equity", "Balance Sheet", 0, "Equity"],
  ["Revaluation Surplus", "Equity", "Equity", "Balance Sheet", 0, "Equity"],
];

export const STANDARD_CHART: readonly ChartAccount[] = ROWS.map(
  ([accountName, parentAccountName, rootType, reportType, isGroup, accountType]) => ({
    accountName,
    parentAccountName,
    rootType,
    reportType,
    isGroup: isGroup === 1,
    accountType,
  }),
);

/** Chart templates every country is offered (`get_charts_for_country` for Kenya and Uganda). */
export const STANDARD_CHART_NAMES = ['Standard', 'Standard with Numbers'] as const;
