import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AUDIT_ACTIONS } from '../../main/audit/audit-actions';
import { importSigningKey, KeyError, keyInfo, loadOrCreateSigningKey } from '../../main/evidence/signing-key';
import { InputError } from '../../main/ingest/line-reader';
import { CaseStore } from '../../main/store';
import { cliActor } from '../cli-actor';
import { userDataDir } from '../data-dir';
import { UsageError } from '../usage-error';
import type { Io } from './analyze';

export const KEY_USAGE = `driftlock key show [--data-dir DIR]
    driftlock key create [--data-dir DIR] [--db PATH]
    driftlock key import FILE.pem [--passphrase-file FILE] [--data-dir DIR] [--db PATH]
    (--db records the key change in that case's audit log)`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, `${what}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function audit(db: string | undefined, action: string, fingerprint: string, details: Record<string, string>): void {
  if (!db) return;
  const store = CaseStore.open(db);
  try {
    store.audit.append({ actor: cliActor(), action, subject: `key:${fingerprint}`, details: { algorithm: 'Ed25519', fingerprint, ...details } });
  } finally {
    store.close();
  }
}

/** Shows, creates or imports the evidence signing key; the fingerprint is what auditors compare. */
export async function runKey(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { 'data-dir': { type: 'string' }, db: { type: 'string' }, 'passphrase-file': { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const dir = userDataDir(parsed.values['data-dir']);
  try {
    switch (sub) {
      case 'show': {
        const info = keyInfo(dir);
        if (info.source === 'none') {
          io.out(`no signing key in ${dir} yet (one is generated on first export, or run: driftlock key create)`);
          return 0;
        }
        io.out(`fingerprint ${info.fingerprint}`);
        io.out(`short       ${info.shortFingerprint}`);
        io.out(`source      ${info.source}`);
        io.out(info.publicKeyPem!.trimEnd());
        return 0;
      }
      case 'create': {
        const { key, created } = loadOrCreateSigningKey(dir);
        if (created) audit(parsed.values.db, AUDIT_ACTIONS.keyCreated, key.fingerprint, {});
        io.out(`${created ? 'created' : 'already present'}: ${key.fingerprint} (${key.path})`);
        return 0;
      }
      case 'import': {
        const file = parsed.positionals[0];
        if (!file) throw new UsageError('key import needs the PEM file');
        const passphrase = parsed.values['passphrase-file'] ? readText(parsed.values['passphrase-file'], 'passphrase file').replace(/\r?\n$/, '') : undefined;
        const { key, replaced } = importSigningKey(dir, readText(file, 'PEM key'), { source: file, ...(passphrase !== undefined ? { passphrase } : {}) });
        audit(parsed.values.db, AUDIT_ACTIONS.keyImported, key.fingerprint, replaced ? { replaced } : {});
        io.out(`imported ${key.fingerprint}${replaced ? ` (previous key ${replaced} kept in keys/retired/)` : ''}`);
        return 0;
      }
      default:
        throw new UsageError(`key needs a subcommand: show, create or import (got ${sub === undefined ? 'none' : `"${sub}"`})`);
    }
  } catch (err) {
    if (err instanceof KeyError) throw new UsageError(err.message);
    throw err;
  }
}
