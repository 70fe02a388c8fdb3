// PII redaction at the door: policies, detectors and the redactor.
export { Redactor } from './redactor';
export { BUILTIN_POLICIES, parsePolicyFile, resolvePolicy } from './policies';
export { luhnValid, ibanValid, cardPrefixPlausible } from './checksums';
export { Pseudonymizer } from './pseudonym';
