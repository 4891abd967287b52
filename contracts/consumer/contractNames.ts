// Names shared by the consumer side and the verification run. This module
// loads nothing from Pact, so the verification process can import it
// without paying for Pact's consumer DSL, which only the consumer tests use.

/** The names under which this suite's pacts are written and verified. */
export const consumerName = 'RunSummaryConsumer';
export const providerName = 'GraphDeviceHealthScripts';

/**
 * Provider states, written as facts about data. Each takes the script id as a
 * parameter and a provider returns the id it really used, which Pact injects
 * into the request path.
 */
export const ProviderStates = {
  scriptExists: 'a device health script exists',
  scriptMissing: 'no device health script has the given id',
} as const;
export type ProviderStateName = (typeof ProviderStates)[keyof typeof ProviderStates];

/** The name of the provider-state value that contains the script id. */
export const scriptIdParameter = 'scriptId';

/**
 * Placeholder sent as the bearer token in pacts. A verifier replaces it with a
 * real token when it has one; the pact never contains a real token.
 */
export const placeholderToken = 'contract-test-placeholder-token';
