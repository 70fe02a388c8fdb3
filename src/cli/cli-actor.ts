import { userInfo } from 'node:os';

/** Who the audit log names for CLI actions: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
