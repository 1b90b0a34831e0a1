import { InvalidArgumentError } from "commander";

/** A dollar amount ≥ 1 (`--budget`, `--amount`): a plain decimal number, at most 6 decimals. */
export function parseAmount(value: string): number {
  if (!/^\d+(\.\d{1,6})?$/.test(value.trim())) throw new InvalidArgumentError("must be a number of US dollars, e.g. 500 or 12.50.");
  const n = Number(value);
  if (!(n >= 1)) throw new InvalidArgumentError("must be at least 1.");
  return n;
}

export const REFRESH_PERIODS = ["daily", "weekly", "monthly", "none"] as const;
export type RefreshPeriod = (typeof REFRESH_PERIODS)[number];
