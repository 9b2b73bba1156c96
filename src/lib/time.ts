/** Units for durations, so every default reads with its unit: `leaseMs = 30 * SECOND`. */
export const MILLISECOND = 1;
export const SECOND = 1000 * MILLISECOND;
export const MINUTE = 60 * SECOND;
