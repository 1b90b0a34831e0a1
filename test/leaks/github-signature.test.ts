import { describe, it, expect } from "vitest";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import {
  clearGithubKeyCache,
  parseGithubPublicKeys,
  verifyGithubSignature,
  type GithubPublicKey,
} from "../../src/leaks/github-signature.js";

function p256() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

const signB64 = (body: string | Uint8Array, privateKey: KeyObject): string =>
  sign("sha256", typeof body === "string" ? Buffer.from(body, "utf8") : body, {
    key: privateKey,
    dsaEncoding: "der",
  }).toString("base64");

const gh = p256();
const other = p256();
const KEY_ID = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";
const keys: GithubPublicKey[] = [{ keyIdentifier: KEY_ID, key: gh.pem }];

const body = JSON.stringify([
  {
    token: "tg_live_NMIfyYncKcRALEXAMPLE",
    type: "tollgate_api_key",
    url: "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/foo/bar.txt",
    source: "content",
  },
]);
const sig = signB64(body, gh.privateKey);

describe("verifyGithubSignature", () => {
  it("accepts a valid signature (string and byte bodies)", () => {
    expect(verifyGithubSignature(body, KEY_ID, sig, keys)).toBe(true);
    expect(verifyGithubSignature(new TextEncoder().encode(body), KEY_ID, sig, keys)).toBe(true);
    expect(verifyGithubSignature(Buffer.from(body), KEY_ID, sig, keys)).toBe(true);
  });

  it("rejects a body changed by one byte", () => {
    const bytes = Buffer.from(body);
    for (const i of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      expect(verifyGithubSignature(tampered, KEY_ID, sig, keys)).toBe(false);
    }
    expect(verifyGithubSignature(body + " ", KEY_ID, sig, keys)).toBe(false);
    expect(verifyGithubSignature("", KEY_ID, sig, keys)).toBe(false);
  });

  it("rejects a wrong / unknown key id", () => {
    expect(verifyGithubSignature(body, "not-the-key", sig, keys)).toBe(false);
    expect(verifyGithubSignature(body, KEY_ID.toUpperCase(), sig, keys)).toBe(false);
    expect(verifyGithubSignature(body, KEY_ID, sig, [])).toBe(false);
  });

  it("rejects a signature made by another key", () => {
    expect(verifyGithubSignature(body, KEY_ID, signB64(body, other.privateKey), keys)).toBe(false);
  });

  it("uses the key selected by id, not any listed key", () => {
    const twoKeys: GithubPublicKey[] = [
      { keyIdentifier: "old", key: other.pem },
      { keyIdentifier: KEY_ID, key: gh.pem },
    ];
    expect(verifyGithubSignature(body, KEY_ID, sig, twoKeys)).toBe(true);
    expect(verifyGithubSignature(body, "old", sig, twoKeys)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["not base64", "!!!not base64!!!"],
    ["random text", "hello world"],
    ["bad padding", sig.replace(/=+$/, "") + "==="],
    ["truncated", sig.slice(0, 20)],
    ["valid base64 but not DER", Buffer.from("definitely not a DER signature").toString("base64")],
    ["DER SEQUENCE of garbage", Buffer.from([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]).toString("base64")],
    ["oversized", Buffer.alloc(4096, 0x30).toString("base64")],
    ["raw (IEEE P1363) encoding", "A".repeat(86) + "=="],
  ])("returns false for garbage signature: %s", (_name, bad) => {
    expect(verifyGithubSignature(body, KEY_ID, bad, keys)).toBe(false);
  });

  it("returns false for missing headers", () => {
    expect(verifyGithubSignature(body, undefined, sig, keys)).toBe(false);
    expect(verifyGithubSignature(body, KEY_ID, undefined, keys)).toBe(false);
    expect(verifyGithubSignature(body, undefined, undefined, keys)).toBe(false);
    expect(verifyGithubSignature(body, "", sig, keys)).toBe(false);
  });

  it("returns false (never throws) for a malformed or non-P-256 PEM", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" });
    for (const key of ["not a pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", rsa.toString()]) {
      expect(verifyGithubSignature(body, KEY_ID, sig, [{ keyIdentifier: KEY_ID, key }])).toBe(false);
    }
    // A bad key under the same id does not prevent a good one from verifying.
    expect(
      verifyGithubSignature(body, KEY_ID, sig, [
        { keyIdentifier: KEY_ID, key: "garbage" },
        { keyIdentifier: KEY_ID, key: gh.pem },
      ]),
    ).toBe(true);
  });

  it("gives the same answers with a warm and a cold key cache", () => {
    clearGithubKeyCache();
    expect(verifyGithubSignature(body, KEY_ID, sig, keys)).toBe(true);
    expect(verifyGithubSignature(body, KEY_ID, sig, keys)).toBe(true);
    expect(verifyGithubSignature(body + "x", KEY_ID, sig, keys)).toBe(false);
  });

  it("verifies GitHub's published documentation example", () => {
    // Example from GitHub's secret scanning partner program documentation.
    const docKeys = parseGithubPublicKeys(
      JSON.stringify({
        public_keys: [
          {
            key_identifier: "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a",
            key:
              "-----BEGIN PUBLIC KEY-----\n" +
              "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9MJJHnMfn2+H4xL4YaPDA4RpJqUq\n" +
              "kCmRCBnYERxZanmcpzQSXs1X/AljlKkbJ8qpVIW4clayyef9gWhFbNHWAA==\n" +
              "-----END PUBLIC KEY-----\n",
            is_current: false,
          },
        ],
      }),
    );
    const docBody = '[{"token":"some_token","type":"some_type","url":"some_url"}]';
    const docSig = "MEUCIQDKZokqnCjrRtw0tni+2Ltvl/uiMJ1EGumEsp1BsNr32AIgQY1YXD2nlj+XNfGK4rBfkMJ1JDOQcYXxa2sY8FNkrKc=";
    const id = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
    expect(verifyGithubSignature(docBody, id, docSig, docKeys)).toBe(true);
    expect(verifyGithubSignature(docBody.replace("some_token", "some_tokem"), id, docSig, docKeys)).toBe(false);
  });
});

describe("parseGithubPublicKeys", () => {
  const doc = (public_keys: unknown) => JSON.stringify({ public_keys });

  it("parses GitHub's key document, keeping current and non-current keys", () => {
    const parsed = parseGithubPublicKeys(
      doc([
        { key_identifier: "old", key: other.pem, is_current: false },
        { key_identifier: KEY_ID, key: gh.pem, is_current: true },
      ]),
    );
    expect(parsed).toEqual([
      { keyIdentifier: "old", key: other.pem },
      { keyIdentifier: KEY_ID, key: gh.pem },
    ]);
    expect(verifyGithubSignature(body, KEY_ID, sig, parsed)).toBe(true);
  });

  it("accepts an empty key list", () => {
    expect(parseGithubPublicKeys(doc([]))).toEqual([]);
  });

  it.each([
    ["invalid JSON", "{", /invalid JSON/],
    ["not an object", "[]", /"public_keys" array/],
    ["missing public_keys", "{}", /"public_keys" array/],
    ["public_keys not an array", doc({}), /"public_keys" array/],
    ["entry not an object", doc(["x"]), /public_keys\[0\] must be an object/],
    ["missing key_identifier", doc([{ key: "-----BEGIN PUBLIC KEY-----" }]), /public_keys\[0\]\.key_identifier/],
    ["empty key_identifier", doc([{ key_identifier: "", key: "x" }]), /key_identifier must be a non-empty string/],
    ["missing key", doc([{ key_identifier: "a" }]), /public_keys\[0\]\.key must be a PEM/],
    ["key not PEM", doc([{ key_identifier: "a", key: "abc" }]), /must be a PEM public key/],
    [
      "PEM with garbage",
      doc([{ key_identifier: "a", key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }]),
      /not a valid PEM ECDSA P-256 public key/,
    ],
  ])("throws a clear Error for %s", (_name, json, message) => {
    expect(() => parseGithubPublicKeys(json)).toThrow(message);
  });

  it("rejects a non-P-256 key", () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "pem" });
    expect(() => parseGithubPublicKeys(doc([{ key_identifier: "a", key: p384.toString() }]))).toThrow(
      /public_keys\[0\]\.key is not a valid PEM ECDSA P-256 public key/,
    );
  });
});
