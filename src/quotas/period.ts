/**
 * Budget refresh periods. All boundaries are UTC and computed with integer
 * arithmetic plus Date.UTC-style UTC accessors only, so results never depend
 * on the process's local time zone (process.env.TZ).
 *
 * - daily:   [00:00 UTC, next 00:00 UTC)
 * - weekly:  [Monday 00:00 UTC, next Monday 00:00 UTC)  (ISO weeks)
 * - monthly: [1st 00:00 UTC, 1st of next month 00:00 UTC)
 * - none:    [anchor, ∞) — the budget never resets; anchor = budget creation.
 *
 * Times are milliseconds since the Unix epoch. `end` is exclusive (it is the
 * `start` of the next period).
 */

export const REFRESH_PERIODS = ["daily", "weekly", "monthly", "none"] as const;
export type RefreshPeriod = (typeof REFRESH_PERIODS)[number];

export type Period = { start: number; end: number | null };

export const MS_PER_DAY = 86_400_000;
const MS_PER_WEEK = 7 * MS_PER_DAY;
/** 1970-01-01 was a Thursday; Monday 1970-01-05 00:00 UTC is a weekly boundary. */
const EPOCH_MONDAY_MS = 4 * MS_PER_DAY;
/** ECMAScript time value range (±100,000,000 days from the epoch). */
const MAX_TIME_MS = 8.64e15;

function assertTime(name: string, ms: number): void {
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) {
    throw new RangeError(`${name} must be a finite time in ms since the epoch, got ${String(ms)}`);
  }
}

/** Floor `x` to a multiple of `step` relative to `offset` (correct for negative x). */
function floorTo(x: number, step: number, offset = 0): number {
  return Math.floor((x - offset) / step) * step + offset;
}

/** Start of the UTC month `month` (0-based, may overflow into other years) of `year`. */
function utcMonthStart(year: number, month: number): number {
  // setUTCFullYear avoids Date.UTC's mapping of years 0..99 to 1900..1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * The period of `period` containing `nowMs`.
 *
 * @param anchorMs used only for `none` (when the budget was created); calendar
 *   periods are aligned to UTC boundaries, not to the anchor.
 * @throws RangeError for a non-finite or out-of-range time, or an unknown period.
 */
export function currentPeriod(period: RefreshPeriod, nowMs: number, anchorMs: number): Period {
  switch (period) {
    case "none":
      assertTime("anchorMs", anchorMs);
      return { start: anchorMs, end: null };
    case "daily": {
      assertTime("nowMs", nowMs);
      const start = floorTo(nowMs, MS_PER_DAY);
      return { start, end: start + MS_PER_DAY };
    }
    case "weekly": {
      assertTime("nowMs", nowMs);
      const start = floorTo(nowMs, MS_PER_WEEK, EPOCH_MONDAY_MS);
      return { start, end: start + MS_PER_WEEK };
    }
    case "monthly": {
      assertTime("nowMs", nowMs);
      const d = new Date(nowMs);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth();
      const start = utcMonthStart(year, month);
      const end = utcMonthStart(year, month + 1);
      if (Number.isNaN(end)) throw new RangeError(`nowMs ${String(nowMs)} is too close to the end of the time range`);
      return { start, end };
    }
    default: {
      const unknown: never = period;
      throw new RangeError(`unknown refresh period ${String(unknown)}`);
    }
  }
}

/** True if `t` is within `p` (start inclusive, end exclusive; `end: null` = unbounded). */
export function isInPeriod(p: Period, t: number): boolean {
  return t >= p.start && (p.end === null || t < p.end);
}
