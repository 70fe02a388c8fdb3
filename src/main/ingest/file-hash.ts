import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InputError } from './line-reader';

/** SHA-256 (hex) of a file's bytes as stored, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (err) {
    throw new InputError(path, `cannot read: ${(err as Error).message}`);
  }
  return hash.digest('hex');
}
