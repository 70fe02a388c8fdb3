import type { AnalystFields, ExportScope } from '../../shared/evidence';
import type { AuditRow } from '../../shared/case-types';
import type { AnomalyRecord, BatchWindow, DataEvent, ManifestAnalysis, ManifestSource } from './bundle-format';

/** One anomaly with the exact events its window was computed from. */
export interface EvidenceAnomaly extends Omit<AnomalyRecord, 'data'> {
  /** The baseline's events (reference and calibration halves), index order. */
  baselineEvents: DataEvent[];
  /** The window's events, stream order. */
  windowEvents: DataEvent[];
}

export interface EvidenceAnalysis extends ManifestAnalysis {
  /** Every window the batch decision (Benjamini–Hochberg) covered, in batch order. */
  batch: BatchWindow[];
}

/**
 * Everything a bundle is made of, independent of where it came from (the
 * case store, or an in-memory analysis in tests). Same input + same key =
 * byte-identical bundle.
 */
export interface BundleInput {
  caseId: string;
  /** Goes into the manifest and the report; fix it to reproduce a bundle. */
  createdAt: Date;
  appVersion: string;
  scope: ExportScope;
  analyst: AnalystFields;
  sources: ManifestSource[];
  analyses: EvidenceAnalysis[];
  anomalies: EvidenceAnomaly[];
  /** The audit rows concerning these anomalies, in id order, ending with the chain head. */
  audit: AuditRow[];
}
