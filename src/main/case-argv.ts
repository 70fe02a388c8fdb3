/** The case file named on the command line (or passed by the OS on double-click), if any. */
const CASE_EXTENSIONS = ['.driftlock', '.sqlite', '.db'];

export function caseFileFromArgv(argv: readonly string[]): string | null {
  // argv[0] is the binary; in development argv[1] is the app folder ('.').
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (CASE_EXTENSIONS.some((ext) => arg.toLowerCase().endsWith(ext))) return arg;
  }
  return null;
}
