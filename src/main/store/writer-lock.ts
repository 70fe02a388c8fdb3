import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { CaseFileError } from './open-database';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per case file, across processes: `<case>.lock` holds the
 * writer's pid and host. A lock left by a dead process on this host (kill -9,
 * power loss) is taken over, which is what makes resuming an import safe.
 *
 * @returns a release function
 */
export function acquireWriterLock(casePath: string): () => void {
  const lockPath = `${casePath}.lock`;
  const me = `${process.pid} ${hostname()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CaseFileError(casePath, `cannot lock: ${(err as Error).message}`);
    }
    let holder = '';
    try {
      holder = readFileSync(lockPath, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const [pidText, host] = holder.split(' ');
    const pid = Number(pidText);
    if (host === hostname() && Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    throw new CaseFileError(casePath, `open for writing by process ${pidText} on ${host ?? 'unknown host'} (lock ${lockPath})`);
  }
  throw new CaseFileError(casePath, `could not take the writer lock ${lockPath}`);
}
