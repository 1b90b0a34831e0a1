import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { REFRESH_PERIODS, currentPeriod, isInPeriod, type RefreshPeriod } from "../../src/quotas/period.js";

/** Parse an ISO-8601 UTC timestamp (must end in Z) to epoch ms. */
const utc = (iso: string): number => {
  if (!iso.endsWith("Z")) throw new Error(`test timestamps must be UTC: ${iso}`);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad timestamp ${iso}`);
  return ms;
};

const ANCHOR = utc("2025-03-14T15:09:26.535Z");

const period = (p: RefreshPeriod, iso: string) => {
  const r = currentPeriod(p, utc(iso), ANCHOR);
  return { start: new Date(r.start).toISOString(), end: r.end === null ? null : new Date(r.end).toISOString() };
};

describe("currentPeriod: daily", () => {
  it("23:59:59.999 belongs to the day, 00:00:00.000 starts the next", () => {
    expect(period("daily", "2027-06-15T23:59:59.999Z")).toEqual({
      start: "2027-06-15T00:00:00.000Z",
      end: "2027-06-16T00:00:00.000Z",
    });
    expect(period("daily", "2027-06-16T00:00:00.000Z")).toEqual({
      start: "2027-06-16T00:00:00.000Z",
      end: "2027-06-17T00:00:00.000Z",
    });
  });

  it("Dec 31 -> Jan 1", () => {
    expect(period("daily", "2027-12-31T23:59:59.999Z")).toEqual({
      start: "2027-12-31T00:00:00.000Z",
      end: "2028-01-01T00:00:00.000Z",
    });
    expect(period("daily", "2028-01-01T00:00:00.000Z").start).toBe("2028-01-01T00:00:00.000Z");
  });

  it("Feb 28 -> Feb 29 in a leap year (2028)", () => {
    expect(period("daily", "2028-02-28T12:00:00.000Z")).toEqual({
      start: "2028-02-28T00:00:00.000Z",
      end: "2028-02-29T00:00:00.000Z",
    });
    expect(period("daily", "2028-02-29T23:59:59.999Z")).toEqual({
      start: "2028-02-29T00:00:00.000Z",
      end: "2028-03-01T00:00:00.000Z",
    });
  });

  it("Feb 28 -> Mar 1 in a non-leap year (2027)", () => {
    expect(period("daily", "2027-02-28T23:59:59.999Z")).toEqual({
      start: "2027-02-28T00:00:00.000Z",
      end: "2027-03-01T00:00:00.000Z",
    });
  });

  it("handles times before the epoch", () => {
    expect(period("daily", "1969-12-31T12:00:00.000Z")).toEqual({
      start: "1969-12-31T00:00:00.000Z",
      end: "1970-01-01T00:00:00.000Z",
    });
  });
});

describe("currentPeriod: weekly (Monday 00:00 UTC)", () => {
  it("Sunday 23:59:59.999 -> Monday 00:00:00.000", () => {
    // 2027-06-13 is a Sunday, 2027-06-14 a Monday.
    expect(period("weekly", "2027-06-13T23:59:59.999Z")).toEqual({
      start: "2027-06-07T00:00:00.000Z",
      end: "2027-06-14T00:00:00.000Z",
    });
    expect(period("weekly", "2027-06-14T00:00:00.000Z")).toEqual({
      start: "2027-06-14T00:00:00.000Z",
      end: "2027-06-21T00:00:00.000Z",
    });
  });

  it("the epoch (a Thursday) is in the week starting Monday 1969-12-29", () => {
    expect(period("weekly", "1970-01-01T00:00:00.000Z")).toEqual({
      start: "1969-12-29T00:00:00.000Z",
      end: "1970-01-05T00:00:00.000Z",
    });
    expect(period("weekly", "1970-01-04T23:59:59.999Z").end).toBe("1970-01-05T00:00:00.000Z");
    expect(period("weekly", "1970-01-05T00:00:00.000Z").start).toBe("1970-01-05T00:00:00.000Z");
  });

  it("Dec 31 -> Jan 1 inside one week spanning the year boundary", () => {
    // 2027-12-31 is a Friday; the week runs Mon 2027-12-27 .. Mon 2028-01-03.
    const expected = { start: "2027-12-27T00:00:00.000Z", end: "2028-01-03T00:00:00.000Z" };
    expect(period("weekly", "2027-12-31T23:59:59.999Z")).toEqual(expected);
    expect(period("weekly", "2028-01-01T00:00:00.000Z")).toEqual(expected);
  });

  it("Dec 31 -> Jan 1 where Jan 1 is a Monday (2029)", () => {
    expect(period("weekly", "2028-12-31T23:59:59.999Z")).toEqual({
      start: "2028-12-25T00:00:00.000Z",
      end: "2029-01-01T00:00:00.000Z",
    });
    expect(period("weekly", "2029-01-01T00:00:00.000Z").start).toBe("2029-01-01T00:00:00.000Z");
  });

  it("always starts on a Monday and spans 7 days", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (t) => {
        const p = currentPeriod("weekly", t, 0);
        expect(new Date(p.start).getUTCDay()).toBe(1);
        expect(p.end).toBe(p.start + 7 * 86_400_000);
        expect(isInPeriod(p, t)).toBe(true);
      }),
    );
  });
});

describe("currentPeriod: monthly (1st 00:00 UTC)", () => {
  it("January ends Feb 1", () => {
    expect(period("monthly", "2027-01-31T23:59:59.999Z")).toEqual({
      start: "2027-01-01T00:00:00.000Z",
      end: "2027-02-01T00:00:00.000Z",
    });
  });

  it("February ends Mar 1 in leap and non-leap years", () => {
    expect(period("monthly", "2028-02-29T23:59:59.999Z")).toEqual({
      start: "2028-02-01T00:00:00.000Z",
      end: "2028-03-01T00:00:00.000Z",
    });
    expect(period("monthly", "2027-02-28T23:59:59.999Z")).toEqual({
      start: "2027-02-01T00:00:00.000Z",
      end: "2027-03-01T00:00:00.000Z",
    });
    expect(period("monthly", "2027-03-01T00:00:00.000Z").start).toBe("2027-03-01T00:00:00.000Z");
  });

  it("Dec 31 -> Jan 1 (December ends next year's Jan 1)", () => {
    expect(period("monthly", "2027-12-31T23:59:59.999Z")).toEqual({
      start: "2027-12-01T00:00:00.000Z",
      end: "2028-01-01T00:00:00.000Z",
    });
    expect(period("monthly", "2028-01-01T00:00:00.000Z")).toEqual({
      start: "2028-01-01T00:00:00.000Z",
      end: "2028-02-01T00:00:00.000Z",
    });
  });

  it("month-end lengths are 28..31 days and start on the 1st", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (t) => {
        const p = currentPeriod("monthly", t, 0);
        expect(p.end).not.toBeNull();
        const days = ((p.end as number) - p.start) / 86_400_000;
        expect([28, 29, 30, 31]).toContain(days);
        expect(new Date(p.start).getUTCDate()).toBe(1);
        expect(new Date(p.start).getUTCHours()).toBe(0);
        expect(isInPeriod(p, t)).toBe(true);
      }),
    );
  });
});

describe("currentPeriod: none", () => {
  it("starts at the anchor and never ends", () => {
    expect(currentPeriod("none", utc("2030-01-01T00:00:00.000Z"), ANCHOR)).toEqual({ start: ANCHOR, end: null });
    const p = currentPeriod("none", ANCHOR, ANCHOR);
    expect(isInPeriod(p, ANCHOR)).toBe(true);
    expect(isInPeriod(p, ANCHOR - 1)).toBe(false);
    expect(isInPeriod(p, 8.64e15)).toBe(true);
  });
});

describe("currentPeriod: general", () => {
  it("calendar periods contain now, are contiguous, and ignore the anchor", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RefreshPeriod>("daily", "weekly", "monthly"),
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: -1e13, max: 1e13 }),
        (kind, now, anchor) => {
          const p = currentPeriod(kind, now, anchor);
          expect(p).toEqual(currentPeriod(kind, now, 0));
          expect(p.end).not.toBeNull();
          const end = p.end as number;
          expect(isInPeriod(p, now)).toBe(true);
          expect(isInPeriod(p, p.start)).toBe(true);
          expect(isInPeriod(p, end)).toBe(false);
          expect(isInPeriod(p, p.start - 1)).toBe(false);
          // Contiguous: the next period starts exactly at `end`, the previous one ends at `start`.
          expect(currentPeriod(kind, end, anchor).start).toBe(end);
          expect(currentPeriod(kind, p.start - 1, anchor).end).toBe(p.start);
          // Boundaries are whole UTC midnights.
          expect(Math.abs(p.start % 86_400_000)).toBe(0);
        },
      ),
    );
  });

  it("rejects non-finite times", () => {
    for (const kind of REFRESH_PERIODS) {
      expect(() => currentPeriod(kind, Number.NaN, Number.NaN)).toThrow(RangeError);
      expect(() => currentPeriod(kind, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    }
  });

  it("is independent of process.env.TZ (uses only UTC arithmetic)", () => {
    const saved = process.env.TZ;
    const samples = [
      "2027-06-13T23:59:59.999Z",
      "2027-12-31T23:59:59.999Z",
      "2028-01-01T00:00:00.000Z",
      "2028-02-29T07:59:59.999Z", // midnight in Los Angeles (PST, UTC-8)
      "2027-03-14T10:00:00.000Z", // US DST switch day
      "2027-11-07T08:30:00.000Z",
    ].map(utc);
    const compute = () => samples.flatMap((t) => REFRESH_PERIODS.map((k) => currentPeriod(k, t, ANCHOR)));
    try {
      process.env.TZ = "UTC";
      const reference = compute();
      const offsets = new Set<number>();
      for (const tz of ["America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata", "Pacific/Pago_Pago"]) {
        process.env.TZ = tz;
        offsets.add(new Date(samples[0] as number).getTimezoneOffset());
        expect(compute()).toEqual(reference);
      }
      // Node applies TZ changes at runtime, so the zones above really differed.
      expect(offsets.size).toBeGreaterThan(1);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("isInPeriod", () => {
  it("start inclusive, end exclusive", () => {
    const p = { start: 100, end: 200 };
    expect(isInPeriod(p, 99)).toBe(false);
    expect(isInPeriod(p, 100)).toBe(true);
    expect(isInPeriod(p, 199)).toBe(true);
    expect(isInPeriod(p, 200)).toBe(false);
  });

  it("open-ended period", () => {
    const p = { start: 100, end: null };
    expect(isInPeriod(p, 99)).toBe(false);
    expect(isInPeriod(p, Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});
