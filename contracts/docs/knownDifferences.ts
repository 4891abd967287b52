/**
 * A place where Microsoft's docs page for this call ("Create
 * deviceHealthScriptRunSummary", Graph beta reference on learn.microsoft.com)
 * disagrees with Microsoft's CSDL metadata (microsoftgraph/msgraph-metadata,
 * beta_metadata.xml) or is incomplete, and what the contract does instead.
 * The generator checks each row's `contractCheck` against the OpenAPI, so a
 * row cannot outlive the choice it documents.
 */
export interface KnownDifference {
  topic: string;
  docsPage: string;
  metadata: string;
  contract: string;
  /** Schema facts the `contract` text relies on; the generator fails when one no longer holds. */
  contractCheck: ContractFact[];
}

/** A fact about the OpenAPI document that a difference's description relies on. */
export type ContractFact =
  | { kind: 'optional-member'; schema: string; member: string }
  | { kind: 'required-member'; schema: string; member: string }
  | { kind: 'member-type'; schema: string; member: string; type: string }
  | { kind: 'closed-object'; schema: string }
  | { kind: 'read-only-member'; schema: string; member: string };

export const knownDifferences: readonly KnownDifference[] = [
  {
    topic: 'The count `detectionScriptNotApplicableDeviceCount`',
    docsPage: 'Missing: the property table and the examples list nine Int32 counts.',
    metadata: 'Defines ten non-nullable Int32 counts, this one included.',
    contract: 'Declares the count in the request and in the stored summary but does not require it, so a provider that follows either source passes.',
    contractCheck: [
      { kind: 'optional-member', schema: 'microsoft.graph.deviceHealthScriptRunSummary', member: 'detectionScriptNotApplicableDeviceCount' },
      { kind: 'optional-member', schema: 'microsoft.graph.deviceHealthScriptRunSummaryCreate', member: 'detectionScriptNotApplicableDeviceCount' },
    ],
  },
  {
    topic: 'Example values',
    docsPage: 'Placeholders instead of values: every count reads `"Int32"`, the date reads `"DateTimeOffset"` and the id reads `"String(identifier)"`.',
    metadata: 'Types only (`Edm.Int32`, `Edm.DateTimeOffset`, `Edm.String`); no examples.',
    contract: 'Uses real values in every example. The interaction with a count sent as the string "Int32" copies the docs page\'s placeholder and expects 400, because a count must be a JSON integer.',
    contractCheck: [{ kind: 'member-type', schema: 'microsoft.graph.deviceHealthScriptRunSummaryCreate', member: 'detectionScriptErrorDeviceCount', type: 'integer' }],
  },
  {
    topic: 'Permissions',
    docsPage: 'The permissions table is empty for delegated and application access.',
    metadata: 'Says nothing about permissions.',
    contract: 'The operation description names what Graph documents on neighbouring pages: DeviceManagementConfiguration.ReadWrite.All for run summaries and DeviceManagementScripts.ReadWrite.All for the scripts. No interaction tests a permission, because a 403 depends on the tenant.',
    contractCheck: [],
  },
  {
    topic: 'The key `id`',
    docsPage: 'Listed among the properties to send, although it is read-only.',
    metadata: 'Key of the `entity` base type, a non-null Edm.String.',
    contract: 'The provider assigns `id`, and the stored summary requires it. The request body schema is closed, so a request that sends `id` breaks the contract.',
    contractCheck: [
      { kind: 'read-only-member', schema: 'microsoft.graph.deviceHealthScriptRunSummary', member: 'id' },
      { kind: 'required-member', schema: 'microsoft.graph.deviceHealthScriptRunSummary', member: 'id' },
      { kind: 'closed-object', schema: 'microsoft.graph.deviceHealthScriptRunSummaryCreate' },
    ],
  },
];
