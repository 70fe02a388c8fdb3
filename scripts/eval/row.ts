import type { Classification, Delay } from './metrics';

/** One line of a result table: one unit of evaluation (windows, lines, blocks or rows) of one set. */
export interface EvalRow {
  set: string;
  /** What an item is and when it counts as positive. */
  level: string;
  /** The CLI command(s) behind the row, as printed. */
  commands: string[];
  /** 'defaults' or what was changed (a tuned row is labelled as tuned). */
  settings: string;
  items: number;
  positives: number;
  cls: Classification;
  auc: number;
  delay?: Delay;
  /** Unit of the delay figures (lines, rows, windows). */
  delayUnit?: string;
  /** Extra figures by name (NAB scores, ceilings). */
  extra?: Record<string, string>;
  seconds: number;
}

export interface SetReport {
  title: string;
  /** What the set is and how it is scored, one paragraph. */
  about: string;
  rows: EvalRow[];
  /** Published anchors to compare with. */
  anchors?: string;
  notes?: string[];
}
