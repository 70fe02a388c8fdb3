// Flow layout on top of pdfkit: headings, paragraphs and tables that break
// across pages cleanly (a table repeats its header; a row never splits).
import type { FontPaths, FontRole } from './report-fonts';

export const COLORS = {
  text: '#1d2330',
  muted: '#5b6475',
  rule: '#c9ced8',
  headerFill: '#e9edf4',
  zebra: '#f6f7fa',
  accent: '#1f4e8c',
  alert: '#b3261e',
  alertSoft: '#e9a19b',
  normal: '#9aa3b2',
  baseline: '#dde8f6',
  noteFill: '#f3f6fb',
} as const;

export interface Column {
  header: string;
  /** Share of the table width; shares are normalised. */
  width: number;
  align?: 'left' | 'right' | 'center';
  font?: FontRole;
}

export interface TableOptions {
  fontSize?: number;
  /** Cell padding, points. */
  padding?: number;
  /** Heading printed with the table when it starts or continues on a new page. */
  caption?: string;
}

export class PdfLayout {
  readonly left: number;
  readonly right: number;
  readonly width: number;
  readonly top: number;
  readonly bottom: number;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly fonts: FontPaths,
  ) {
    const m = doc.page.margins;
    this.left = m.left;
    this.right = doc.page.width - m.right;
    this.width = this.right - this.left;
    this.top = m.top;
    this.bottom = doc.page.height - m.bottom;
  }

  get y(): number {
    return this.doc.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  space(points: number): void {
    this.doc.y += points;
  }

  /** Selects font, size and fill colour for what is drawn next. */
  style(font: FontRole, size: number, color: string = COLORS.text): PDFKit.PDFDocument {
    return this.doc.font(this.fonts[font]).fontSize(size).fillColor(color);
  }

  heading(text: string, level: 1 | 2 | 3 = 1): void {
    const size = level === 1 ? 17 : level === 2 ? 12.5 : 10.5;
    this.style('bold', size, level === 1 ? COLORS.accent : COLORS.text);
    const h = this.doc.heightOfString(text, { width: this.width });
    // Keep a heading with at least a few lines of what follows it.
    this.ensure(h + 48);
    if (this.doc.y > this.top + 1) this.space(level === 1 ? 6 : 4);
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    if (level === 1) {
      const y = this.doc.y + 2;
      this.doc.moveTo(this.left, y).lineTo(this.right, y).lineWidth(0.8).strokeColor(COLORS.accent).stroke();
      this.doc.y = y + 6;
    } else {
      this.space(3);
    }
  }

  paragraph(text: string, options: { size?: number; font?: FontRole; color?: string; gap?: number; indent?: number } = {}): void {
    const size = options.size ?? 9.5;
    const indent = options.indent ?? 0;
    this.style(options.font ?? 'sans', size, options.color ?? COLORS.text);
    const width = this.width - indent;
    const h = this.doc.heightOfString(text, { width, lineGap: 1.5 });
    // Short paragraphs move whole to the next page; long ones flow across.
    if (h < 120) this.ensure(h);
    this.doc.text(text, this.left + indent, this.doc.y, { width, lineGap: 1.5 });
    this.space(options.gap ?? 5);
  }

  bullets(items: readonly string[], size = 9.5): void {
    for (const item of items) {
      this.style('sans', size);
      const h = this.doc.heightOfString(item, { width: this.width - 12, lineGap: 1.5 });
      this.ensure(h);
      const y = this.doc.y;
      this.doc.text('•', this.left + 2, y, { width: 10, lineBreak: false });
      this.doc.text(item, this.left + 12, y, { width: this.width - 12, lineGap: 1.5 });
      this.space(2.5);
    }
    this.space(3);
  }

  /** A shaded box with text: notes the reader should not miss. */
  note(text: string, size = 9): void {
    this.style('sans', size);
    const pad = 7;
    const h = this.doc.heightOfString(text, { width: this.width - 2 * pad, lineGap: 1.5 }) + 2 * pad;
    this.ensure(h);
    const y = this.doc.y;
    this.doc.rect(this.left, y, this.width, h).fill(COLORS.noteFill);
    this.doc.rect(this.left, y, 2.5, h).fill(COLORS.accent);
    this.style('sans', size);
    this.doc.text(text, this.left + pad, y + pad, { width: this.width - 2 * pad, lineGap: 1.5 });
    this.doc.y = y + h + 8;
  }

  /** Two columns of label / value pairs. */
  keyValues(pairs: readonly [string, string][], options: { labelWidth?: number; size?: number; valueFont?: FontRole } = {}): void {
    const size = options.size ?? 9.5;
    const labelWidth = options.labelWidth ?? 150;
    const valueWidth = this.width - labelWidth;
    for (const [label, value] of pairs) {
      this.style(options.valueFont ?? 'sans', size);
      const hv = this.doc.heightOfString(value, { width: valueWidth, lineGap: 1 });
      this.style('bold', size);
      const hl = this.doc.heightOfString(label, { width: labelWidth - 8, lineGap: 1 });
      const h = Math.max(hv, hl);
      this.ensure(h + 4);
      const y = this.doc.y;
      this.style('bold', size, COLORS.muted);
      this.doc.text(label, this.left, y, { width: labelWidth - 8, lineGap: 1 });
      this.style(options.valueFont ?? 'sans', size);
      this.doc.text(value, this.left + labelWidth, y, { width: valueWidth, lineGap: 1 });
      this.doc.y = y + h + 4;
    }
    this.space(4);
  }

  table(columns: readonly Column[], rows: readonly string[][], options: TableOptions = {}): void {
    const size = options.fontSize ?? 8.5;
    const pad = options.padding ?? 3.5;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const measure = (cells: readonly string[], header: boolean): number =>
      Math.max(
        ...cells.map((cell, i) => {
          this.style(header ? 'bold' : (columns[i]!.font ?? 'sans'), size);
          return this.doc.heightOfString(cell, { width: widths[i]! - 2 * pad, lineGap: 0.5 });
        }),
      ) + 2 * pad;
    const drawRow = (cells: readonly string[], header: boolean, fill: string | undefined): void => {
      const h = measure(cells, header);
      const y = this.doc.y;
      if (fill) this.doc.rect(this.left, y, this.width, h).fill(fill);
      let x = this.left;
      cells.forEach((cell, i) => {
        const c = columns[i]!;
        this.style(header ? 'bold' : (c.font ?? 'sans'), size, header ? COLORS.text : COLORS.text);
        this.doc.text(cell, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: c.align ?? 'left', lineGap: 0.5 });
        x += widths[i]!;
      });
      this.doc.moveTo(this.left, y + h).lineTo(this.right, y + h).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      this.doc.y = y + h;
    };
    const header = columns.map((c) => c.header);
    const headerHeight = measure(header, true);
    const startPage = (continued: boolean): void => {
      if (options.caption) {
        this.style('bold', 9, COLORS.muted);
        this.doc.text(continued ? `${options.caption} (continued)` : options.caption, this.left, this.doc.y, { width: this.width });
        this.space(2);
      }
      drawRow(header, true, COLORS.headerFill);
    };
    const captionHeight = options.caption ? 14 : 0;
    const firstRow = rows[0] ? measure(rows[0], false) : 0;
    this.ensure(captionHeight + headerHeight + firstRow);
    startPage(false);
    rows.forEach((row, r) => {
      const h = measure(row, false);
      if (this.doc.y + h > this.bottom) {
        this.newPage();
        startPage(true);
      }
      drawRow(row, false, r % 2 === 1 ? COLORS.zebra : undefined);
    });
    this.doc.x = this.left;
    this.space(8);
  }

  /**
   * Writes a footer in the bottom margin of every buffered page: `left`
   * (clipped to fit) and `page N of M` on the right. The bottom margin is
   * lifted meanwhile, so pdfkit does not see text below it and open a page.
   */
  footer(left: string): void {
    const range = this.doc.bufferedPageRange();
    const rightWidth = 70;
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.style('sans', 7.5, COLORS.muted);
      const y = this.doc.page.height - margin + 16;
      this.doc.moveTo(this.left, y - 5).lineTo(this.right, y - 5).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      let text = left;
      while (text.length > 1 && this.doc.widthOfString(text) > this.width - rightWidth - 8) text = `${text.slice(0, -2)}…`;
      this.doc.text(text, this.left, y, { lineBreak: false });
      this.doc.text(`page ${i + 1} of ${range.count}`, this.right - rightWidth, y, { width: rightWidth, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = margin;
    }
  }
}
