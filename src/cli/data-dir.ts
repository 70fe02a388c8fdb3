import { homedir } from 'node:os';
import { join } from 'node:path';

const PRODUCT = 'Driftlock Desktop';

/**
 * The user data directory the CLI shares with the app (Electron's
 * `userData`), where the evidence signing key lives: `--data-dir`, else
 * $DRIFTLOCK_DATA_DIR, else the platform's per-user application data folder.
 */
export function userDataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return option;
  if (env.DRIFTLOCK_DATA_DIR) return env.DRIFTLOCK_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', PRODUCT);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT);
  }
}
