import type { DeviceHealthScriptRunSummaryCreate } from '../../contracts/consumer/client';

/** A valid request body: real counts and a date-time with seven fractional digits, as Graph sends it. */
export const validSummary: DeviceHealthScriptRunSummaryCreate = {
  detectionScriptErrorDeviceCount: 3,
  detectionScriptPendingDeviceCount: 41,
  issueDetectedDeviceCount: 187,
  issueRemediatedCumulativeDeviceCount: 655,
  issueRemediatedDeviceCount: 164,
  issueReoccurredDeviceCount: 9,
  lastScriptRunDateTime: '2026-11-30T08:15:42.1234567Z',
  noIssueDetectedDeviceCount: 1040,
  remediationScriptErrorDeviceCount: 5,
  remediationSkippedDeviceCount: 9,
};
