import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from './open-database';

/** Keys the store itself uses. */
export const SETTING_KEYS = {
  caseId: 'case.id',
  createdAt: 'case.created_at',
  /** Hex key of the pseudonymisation HMAC; generated once per case, never leaves it. */
  hmacKey: 'redaction.hmac_key',
} as const;

/** Case-wide key/value settings (strings; callers encode JSON themselves). */
export class SettingsRepo {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }

  /** The value, created by `make` and stored when absent. */
  getOrCreate(key: string, make: () => string): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    const value = make();
    this.set(key, value);
    return value;
  }

  /** First-open identity of the case and its pseudonymisation key. */
  initialise(now: number): void {
    this.getOrCreate(SETTING_KEYS.caseId, () => randomUUID());
    this.getOrCreate(SETTING_KEYS.createdAt, () => String(now));
    this.getOrCreate(SETTING_KEYS.hmacKey, () => randomBytes(32).toString('hex'));
  }

  hmacKey(): Buffer {
    return Buffer.from(this.getOrCreate(SETTING_KEYS.hmacKey, () => randomBytes(32).toString('hex')), 'hex');
  }
}
