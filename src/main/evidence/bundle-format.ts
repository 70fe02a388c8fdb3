// The evidence bundle's files, declared once for the writer and the verifier.
// Layout (DESIGN.md §5):
//   manifest.json    BundleManifest, RFC 8785 canonical bytes (what is signed)
//   signature.json   BundleSignature
//   anomalies.json   AnomaliesFile
//   data/<anomaly>/baseline.jsonl, window.jsonl   DataEvent per line
//   report.pdf       the human-readable report
//   audit.jsonl      AuditRow per line, id order, ending with the chain head
import type { AnalysisParams, CompressorPin, WindowResult } from '../../core';
import type { AnalystFields, ExportScope } from '../../shared/evidence';
import type { RedactionPolicy } from '../../shared/redaction-policy';

export const BUNDLE_SCHEMA = 'driftlock-evidence';
export const BUNDLE_SCHEMA_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'signature.json';
export const ANOMALIES_FILE = 'anomalies.json';
export const REPORT_FILE = 'report.pdf';
export const AUDIT_FILE = 'audit.jsonl';
export const DATA_DIR = 'data';

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface ManifestAnalysis {
  id: string;
  /** Every parameter of the run; profile and seed included. */
  params: AnalysisParams;
  /** The compressor pin the run measured with. */
  compressor: CompressorPin;
  /** The redaction policies of the sources the run read (empty when none was recorded). */
  redactionPolicies: RedactionPolicy[];
}

export interface ManifestSource {
  id: string;
  /** File name or endpoint the events came from. */
  name: string;
  /** SHA-256 of the source bytes as imported, hex. */
  sha256: string;
  size: number;
  kind: string;
}

export interface BundleManifest {
  schema: typeof BUNDLE_SCHEMA;
  schemaVersion: typeof BUNDLE_SCHEMA_VERSION;
  app: { name: string; version: string };
  /** ISO 8601 UTC. */
  createdAt: string;
  case: { id: string };
  scope: ExportScope;
  analyst: AnalystFields;
  /** The key expected in signature.json: binds the signer into what is signed. */
  signer: { algorithm: 'Ed25519'; fingerprint: string };
  analyses: ManifestAnalysis[];
  sources: ManifestSource[];
  anomalies: { id: string; analysisId: string; stream: string; window: number }[];
  /** The audit slice in audit.jsonl: how many rows, and the chain head it ends with (null: no audit trail). */
  audit: { rows: number; head: { id: number; hash: string } | null };
  /** Every other file in the bundle (all but manifest.json and signature.json). */
  files: ManifestFile[];
}

export interface BundleSignature {
  algorithm: 'Ed25519';
  canonicalization: 'RFC 8785';
  signedFile: typeof MANIFEST_FILE;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** SHA-256 of the raw public key, hex. */
  fingerprint: string;
  /** Ed25519 signature over the canonical manifest bytes, base64. */
  signature: string;
}

/** One event as the engine saw it (canonical text, after redaction). */
export interface DataEvent {
  index: number;
  /** Canonical text: what was compressed. */
  text: string;
  timestamp?: number;
  /** The line as stored after redaction, for display. */
  original?: string;
}

export type TriageStatus = 'open' | 'confirmed' | 'dismissed';

export interface TriageState {
  status: TriageStatus;
  by?: string;
  at?: string;
  note?: string;
}

export interface AnomalyNote {
  at: string;
  by: string;
  text: string;
}

/** One window of the decision batch: what BH saw, and the timeline chart. */
export interface BatchWindow {
  stream: string;
  window: number;
  firstEvent: number;
  lastEvent: number;
  startTime?: number;
  endTime?: number;
  pValue: number;
  excessBits: number;
  score: number;
  anomaly: boolean;
}

export interface AnomalyRecord {
  id: string;
  analysisId: string;
  /** How the stream is typed (`log`, `llm.prompt`, `llm.completion`, `metric`, `trace`). */
  streamKind: string;
  /** The engine's result, non-finite numbers as null (JSON). */
  result: WindowResult;
  triage: TriageState;
  notes: AnomalyNote[];
  data: { baseline: string; window: string };
}

export interface AnomaliesFile {
  schemaVersion: typeof BUNDLE_SCHEMA_VERSION;
  anomalies: AnomalyRecord[];
  /** Per analysis, every window the Benjamini–Hochberg decision covered, in batch order. */
  batches: { analysisId: string; windows: BatchWindow[] }[];
}
