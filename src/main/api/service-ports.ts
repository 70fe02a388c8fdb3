/**
 * The other services the app calls: evidence bundles and keys, the OTLP
 * listener and native dialogs. Each is passed in by the entry point (Electron
 * or `serve --ui`); a missing one answers `unavailable` with a reason.
 */
import type { ExportResult, KeyInfo, ListenerStatus, VerifyResult } from '../../shared/dto';
import type { CasePort } from './case-port';

export interface ExportRequest {
  anomalyIds: number[];
  outPath: string;
  incidentId?: string;
  classification?: string;
  reporter?: string;
}

export interface EvidencePort {
  exportBundle(casePort: CasePort, request: ExportRequest): Promise<ExportResult>;
  verifyBundle(path: string): Promise<VerifyResult>;
  keyInfo(): Promise<KeyInfo>;
  importKey(pem: string): Promise<KeyInfo>;
}

export interface ListenerPort {
  status(): ListenerStatus;
  start(casePort: CasePort, ports: { httpPort: number; grpcPort: number }): Promise<ListenerStatus>;
  stop(): Promise<ListenerStatus>;
  /** Called on every state or counter change. */
  onStatus(listener: (status: ListenerStatus) => void): () => void;
}

export type DialogPurpose = 'open-case' | 'new-case' | 'import' | 'save-bundle' | 'verify-bundle';

export interface DialogPort {
  choose(purpose: DialogPurpose, defaultName?: string): Promise<string[] | null>;
}
