import { createCompressor, type Compressor, type CompressorName } from '../../core';
import { openReadOnly, type Db } from '../store';

// One connection per case file and one compressor per name, per thread:
// both are costly to create and safe to reuse across jobs.
const connections = new Map<string, Db>();
const compressors = new Map<CompressorName, Compressor>();

/** This thread's read-only connection to a case file. */
export function caseConnection(path: string): Db {
  let db = connections.get(path);
  if (!db) {
    db = openReadOnly(path);
    connections.set(path, db);
  }
  return db;
}

/** This thread's compressor of a name. */
export function threadCompressor(name: CompressorName): Compressor {
  let c = compressors.get(name);
  if (!c) {
    c = createCompressor(name);
    compressors.set(name, c);
  }
  return c;
}
