import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The report's fonts (DejaVu, see resources/fonts/LICENSE-DejaVu.txt), by role. */
export const FONT = {
  sans: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

/**
 * resources/fonts of this checkout: searched upwards from this module, so it
 * is found from src/main/evidence/report (tsx) and from a bundled out/main.
 * The packaged app passes its resources path instead. Fonts are only ever
 * read from here: no system font lookups, so the PDF is the same everywhere.
 */
export function defaultFontsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources', 'fonts');
    if (existsSync(join(candidate, FONT.sans))) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('report: resources/fonts with the DejaVu fonts was not found; pass fontsDir');
}

export type FontRole = keyof typeof FONT;
export type FontPaths = Record<FontRole, string>;

/**
 * Absolute font paths by role. Documents select fonts by these paths, not by
 * registered names: pdfkit caches a font under the key it was asked for,
 * except when it matches the document's initial font, which it then re-parses
 * on every switch (seconds per report).
 */
export function fontPaths(fontsDir: string): FontPaths {
  const out = {} as FontPaths;
  for (const [role, file] of Object.entries(FONT) as [FontRole, string][]) {
    const path = join(fontsDir, file);
    if (!existsSync(path)) throw new Error(`report: font ${path} is missing`);
    out[role] = path;
  }
  return out;
}
