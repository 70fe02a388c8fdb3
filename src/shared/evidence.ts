// The evidence contract: what the app (IPC, HTTP mode) and the CLI exchange
// with src/main/evidence. Pure declarations so every process can import them.

/** Which anomalies an export covers. */
export type ExportScope =
  | { kind: 'anomalies'; ids: string[] }
  | { kind: 'all' }
  /** Anomalies whose window overlaps [from, to] (ISO 8601 UTC). */
  | { kind: 'range'; from: string; to: string };

/** Fields the analyst fills in the export dialog (or with CLI flags); all optional. */
export interface AnalystFields {
  incidentId?: string;
  classification?: string;
  reporter?: string;
}

/** What an export produced. */
export interface ExportResult {
  /** Absolute path of the written bundle. */
  path: string;
  /** Its base name, for display. */
  fileName: string;
  /** Bundle size, bytes. */
  bytes: number;
  /** SHA-256 of the bundle file, hex. */
  sha256: string;
  /** SHA-256 of the signer's raw Ed25519 public key, hex (64 digits). */
  keyFingerprint: string;
  /** The fingerprint's first 16 hex digits in groups of four, for display. */
  shortFingerprint: string;
  /** True when this export generated the signing key (first use). */
  keyCreated: boolean;
  anomalies: number;
  /** Files in the bundle, manifest and signature included. */
  files: number;
  /** The manifest's creation time, ISO 8601 UTC. */
  createdAt: string;
}

/** One line of a verification report. */
export interface VerifyCheck {
  /** What was checked, e.g. `signature`, `hash data/a1/window.jsonl`, `window a1`. */
  name: string;
  ok: boolean;
  /** Plain words: what matched, or exactly which file/field did not. */
  detail: string;
}

/** Outcome of one window's re-computation from the bundle's data/. */
export interface ReproducedWindow {
  anomalyId: string;
  stream: string;
  window: number;
  reproduced: boolean;
  /** The fields that differed (empty when reproduced). */
  mismatches: string[];
}

export interface VerifyResult {
  /** The bundle checked, when it was given as a path. */
  path?: string;
  /** True only when every check passed. */
  ok: boolean;
  /**
   * False when the input is not a readable bundle at all (missing file, not a
   * zip, truncated): the CLI exits 2 then, 1 for any other failure.
   */
  readable: boolean;
  checks: VerifyCheck[];
  /** Signer fingerprint from signature.json, when it could be read. */
  fingerprint?: string;
  /** Whether the signer was pinned with an expected fingerprint. */
  keyPinned: boolean;
  windows: ReproducedWindow[];
  /** Manifest facts for display, when the manifest could be read. */
  summary?: {
    caseId: string;
    createdAt: string;
    appVersion: string;
    anomalies: number;
    incidentId?: string;
  };
}

/** The signing key as the app shows it (fingerprint everywhere the key is used). */
export interface KeyInfo {
  algorithm: 'Ed25519';
  /** SHA-256 of the raw public key, hex; empty when there is no key yet. */
  fingerprint: string;
  shortFingerprint: string;
  /** Generated on first use, imported from an organisation PEM, or not made yet. */
  source: 'generated' | 'imported' | 'none';
  /** SPKI PEM of the public key, to publish out of band. */
  publicKeyPem: string | null;
}
