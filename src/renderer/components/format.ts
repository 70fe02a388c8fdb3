/** Number and time formatting shared by the screens (one place, one style). */

export function fmtNum(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1);
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-GB');
}

export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
