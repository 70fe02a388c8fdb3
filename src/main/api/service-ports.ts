/**
 * The other services the app calls: evidence bundles and keys, the OTLP
 * listener and native dialogs. Each is passed in by the entry point (Electron
 * or `serve --ui`); a missing one answers `unavailable` with a reason.
 */
import type { KeyInfo, ListenerStatus, VerifyResult } from '../../shared/dto';
import type { CasePort } from './case-port';

/** Verification and the signing key: case-independent (exports are made by the case, CasePort.exportBundle). */
export interface EvidencePort {
  verifyBundle(path: string): Promise<VerifyResult>;
  keyInfo(): Promise<KeyInfo>;
  /** Makes an organisation key the signing key; `casePort` records the change in its audit log. */
  importKey(pem: string, casePort: CasePort | null, actor: string): Promise<KeyInfo>;
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
