// Runs before every test file: Pact must not try to send usage data offline.
process.env.PACT_DO_NOT_TRACK = 'true';
