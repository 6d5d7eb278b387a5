import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  buildNative,
  type Measurement,
  nativeReference,
  nativeSecp256k1VerifyLoop,
  nativeSha256dHeaderLoop,
  nativeSha256dMidstateLoop,
  parseNativeOutput,
} from "../src/index.ts";

function assertMeasured(m: Measurement, minUnits: number): void {
  assert.ok(Number.isFinite(m.units) && m.units >= minUnits, `units ${m.units}`);
  assert.ok(Number.isFinite(m.seconds) && m.seconds > 0, `seconds ${m.seconds}`);
}

/** Runs `fn` with an environment variable set, restoring the previous value after. */
async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}

describe("C reference programs (where this machine has their libraries)", () => {
  test("secp256k1-verify verifies what it signed, on 1 and 2 threads", async (t) => {
    const one = await nativeSecp256k1VerifyLoop(1, 40);
    if (one.measurement === undefined) return t.skip(one.message);
    assert.equal(one.measurement.units, 40);
    assertMeasured(one.measurement, 40);
    const two = await nativeSecp256k1VerifyLoop(2, 41);
    assert.equal(two.measurement?.units, 41);
  });

  test("sha256d-headers hashes the requested headers", async (t) => {
    const run = await nativeSha256dHeaderLoop(1, 5_000);
    if (run.measurement === undefined) return t.skip(run.message);
    assert.equal(run.measurement.units, 5_000);
    assertMeasured(run.measurement, 5_000);
  });

  test("sha256d-midstate runs on the best compression this machine has", async (t) => {
    const run = await nativeSha256dMidstateLoop(1, 0);
    if (run.measurement === undefined) return t.skip(run.message);
    assertMeasured(run.measurement, 1);
    assert.match(run.description, /SHA-NI|SHA256_Transform/);
  });

  test("sha256d-midstate through OpenSSL's SHA256_Transform when SHA-NI is refused", async (t) => {
    const run = await withEnv("STARLING_BENCH_NO_SHANI", "1", () =>
      nativeSha256dMidstateLoop(2, 0),
    );
    if (run.measurement === undefined) return t.skip(run.message);
    assertMeasured(run.measurement, 2);
    assert.match(run.description, /SHA256_Transform/);
  });

  test("a program given bad arguments fails loudly instead of measuring nothing", async (t) => {
    const { reference, message } = nativeReference("sha256d-headers");
    if (reference === undefined) return t.skip(message);
    await assert.rejects(reference.run(0, 10), /failed/);
  });
});

describe("fallback when a native reference is missing", () => {
  test("STARLING_BENCH_NO_NATIVE gives no measurement and the apt-get line", async () => {
    const [sig, headers, midstate] = await withEnv("STARLING_BENCH_NO_NATIVE", "1", () =>
      Promise.all([
        nativeSecp256k1VerifyLoop(1, 10),
        nativeSha256dHeaderLoop(1, 10),
        nativeSha256dMidstateLoop(1, 0),
      ]),
    );
    assert.equal(sig.measurement, undefined);
    assert.match(sig.message ?? "", /apt-get install -y libsecp256k1-dev/);
    assert.equal(headers.measurement, undefined);
    assert.match(headers.message ?? "", /apt-get install -y libssl-dev/);
    assert.equal(midstate.measurement, undefined);
    assert.match(midstate.message ?? "", /apt-get install/);
  });

  test("a missing header is found by the probe and named with its package", () => {
    const build = buildNative({
      source: "sha256d-headers.c",
      headers: ["starling-no-such-header.h"],
      libs: [],
      flags: [],
      debianPackage: "starling-no-such-dev",
    });
    assert.equal(build.path, undefined);
    assert.match(build.message ?? "", /apt-get install -y .*starling-no-such-dev/);
  });
});

describe("parseNativeOutput", () => {
  test("reads `units seconds`", () => {
    assert.deepEqual(parseNativeOutput("1200 0.500000000\n"), { units: 1200, seconds: 0.5 });
  });

  test("rejects anything else", () => {
    for (const bad of ["", "12", "12 0", "0 1.5", "a b", "1 2 3", "12 -1"]) {
      assert.throws(() => parseNativeOutput(bad), /unexpected output/, bad);
    }
  });
});
