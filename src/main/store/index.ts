// The case store's public surface: one writer (CaseStore), read-only
// connections for workers, and the schema.
export { CaseStore, type OpenCaseOptions } from './case-store';
export { CaseFileError, openReadOnly, type Db } from './open-database';
export { MIGRATIONS, SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations';
export type { NewEvent, StreamCommit } from './events-repo';
export type { NewSource, SourceProgress } from './sources-repo';
export type { AuditEntry, AuditVerification } from './audit-log';
export { auditEntryHash, GENESIS_HASH } from './audit-log';
export { APP_VERSION } from './app-version';
export { caseStats } from './case-stats';
export { AnomaliesQuery, type AnomalyFilter, type AnomalyPage } from './anomalies-query';
export { NotFoundError } from './not-found';
