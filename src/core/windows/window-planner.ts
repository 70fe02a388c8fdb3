/** A window the planner has closed: positions are 0-based within the stream. */
export interface PlannedWindow {
  window: number;
  /** First and last position in the window (inclusive). */
  first: number;
  last: number;
  /**
   * Positions below this belong to no later window, so once this window is
   * decided they are final (they may join later baselines).
   */
  releaseBefore: number;
  startTime?: number;
  endTime?: number;
}

/** Cuts a stream into windows as events arrive. */
export interface WindowPlanner {
  /** Event at `position` (consecutive from 0) arrived. */
  push(position: number, timestamp: number | undefined): void;
  /** Windows that are complete; with `final`, also the trailing partial one. */
  take(final: boolean): PlannedWindow[];
}
