import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { equalsSecret, secretMatcher } from "../../src/lib/secrets.js";

describe("equalsSecret (constant-time comparison with a configured token)", () => {
  it("is true exactly for the secret itself", () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (presented, secret) => {
        expect(equalsSecret(presented, secret)).toBe(presented === secret);
        expect(equalsSecret(secret, secret)).toBe(true);
      }),
    );
  });

  it("refuses a prefix, an extension, a repetition, one changed character and the empty string", () => {
    const secret = "gateway-token-0123456789";
    for (const other of [secret.slice(0, -1), secret + "x", secret + secret, secret.slice(0, 12), "", secret.replace("7", "8"), secret.toUpperCase()]) {
      expect(equalsSecret(other, secret), other).toBe(false);
    }
    expect(equalsSecret("abab", "ab")).toBe(false);
    expect(equalsSecret("ab", "abab")).toBe(false);
  });

  it("an unset secret matches nothing", () => {
    expect(secretMatcher(undefined)("anything")).toBe(false);
    expect(secretMatcher("")("")).toBe(false);
    expect(secretMatcher("s3cret-s3cret-s3cret")("s3cret-s3cret-s3cret")).toBe(true);
  });
});
