import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_FUTURE_BLOCK_TIME } from "../../src/consensus/constants.ts";
import {
  contextualCheckBlockHeader,
  type HeaderContext,
  MIN_BLOCK_VERSION,
  nextWorkRequired,
} from "../../src/consensus/contextual-header.ts";
import { BlockValidationError } from "../../src/errors.ts";
import { devnet } from "../../src/params/devnet.ts";
import { regtest } from "../../src/params/regtest.ts";
import { testnet } from "../../src/params/testnet.ts";
import { bitsToTarget, targetToBits } from "../../src/pow/compact.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";

const GENESIS_TIME = regtest.genesis.header.time;

function header(fields: { time: number; bits: number; version?: number }): BlockHeader {
  return new BlockHeader({
    version: fields.version ?? 4,
    prevBlock: "00".repeat(32),
    merkleRoot: "00".repeat(32),
    time: fields.time,
    bits: fields.bits,
    nonce: 0,
  });
}

function context(overrides: Partial<HeaderContext> = {}): HeaderContext {
  return {
    parentHeight: 10,
    parentTime: GENESIS_TIME + 10,
    parentMedianTimePast: GENESIS_TIME + 5,
    adjustedTime: GENESIS_TIME + 11,
    ...overrides,
  };
}

function rejects(fn: () => void, code: string, score = 100): BlockValidationError {
  let caught: BlockValidationError | undefined;
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BlockValidationError, `expected BlockValidationError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.score, score);
    caught = error;
    return true;
  });
  return caught!;
}

describe("contextualCheckBlockHeader on regtest", () => {
  const ok = { time: GENESIS_TIME + 11, bits: regtest.powLimitBits };

  it("accepts powLimit bits, a time past the median, version 4 and above", () => {
    contextualCheckBlockHeader(header(ok), context(), regtest);
    contextualCheckBlockHeader(header({ ...ok, version: 0x20000000 }), context(), regtest);
  });

  it("requires exactly powLimit bits, even harder ones (bad-diffbits)", () => {
    rejects(
      () => contextualCheckBlockHeader(header({ ...ok, bits: 0x1f00ffff }), context(), regtest),
      "bad-diffbits",
    );
  });

  it("requires a time strictly after the parent's median-time-past (time-too-old)", () => {
    const ctx = context({ parentMedianTimePast: ok.time });
    rejects(() => contextualCheckBlockHeader(header(ok), ctx, regtest), "time-too-old");
    contextualCheckBlockHeader(header(ok), context({ parentMedianTimePast: ok.time - 1 }), regtest);
  });

  it("allows two hours past adjusted time, and ignores (does not punish) beyond", () => {
    const now = GENESIS_TIME + 1000;
    const limit = now + MAX_FUTURE_BLOCK_TIME;
    contextualCheckBlockHeader(
      header({ ...ok, time: limit }),
      context({ adjustedTime: now }),
      regtest,
    );
    const error = rejects(
      () =>
        contextualCheckBlockHeader(
          header({ ...ok, time: limit + 1 }),
          context({ adjustedTime: now }),
          regtest,
        ),
      "time-too-new",
      0,
    );
    assert.equal(error.action, "ignore");
    assert.equal(error.corruptionPossible, true);
  });

  it("rejects versions below 4 with Core's reason string, negative ones included", () => {
    assert.equal(MIN_BLOCK_VERSION, 4);
    rejects(
      () => contextualCheckBlockHeader(header({ ...ok, version: 3 }), context(), regtest),
      "bad-version(0x00000003)",
    );
    rejects(
      () => contextualCheckBlockHeader(header({ ...ok, version: -1 }), context(), regtest),
      "bad-version(0xffffffff)",
    );
  });
});

describe("ASERT bits on devnet headers", () => {
  const asert = devnet.asert!;
  const spacing = devnet.targetSpacing;
  const genesisTime = devnet.genesis.header.time;
  const powLimit = bitsToTarget(devnet.powLimitBits);

  it("anchors at genesis: its parent time is genesis time minus the spacing", () => {
    assert.deepEqual(asert, {
      anchorHeight: 0,
      anchorParentTime: genesisTime - spacing,
      anchorBits: devnet.genesis.header.bits,
      halfLife: 600,
    });
    assert.equal(testnet.asert?.halfLife, 3600);
    assert.equal(regtest.asert, null);
  });

  it("keeps the anchor's bits while blocks arrive exactly on schedule", () => {
    for (const height of [0, 1, 50, 1000]) {
      const bits = nextWorkRequired(devnet, { height, time: genesisTime + height * spacing });
      assert.equal(bits, devnet.powLimitBits, `height ${height}`);
    }
  });

  it("halves the target when the chain is one half-life ahead of schedule", () => {
    // 240 blocks at 2.5 s instead of 5 s: parent 600 s early.
    const height = 240;
    const bits = nextWorkRequired(devnet, { height, time: genesisTime + height * spacing - 600 });
    assert.equal(bits, targetToBits(powLimit / 2n));
    const quarter = nextWorkRequired(devnet, {
      height,
      time: genesisTime + height * spacing - 1200,
    });
    assert.equal(quarter, targetToBits(powLimit / 4n));
  });

  it("eases back toward powLimit as blocks slow down, never beyond it", () => {
    const height = 240;
    const ahead = bitsToTarget(
      nextWorkRequired(devnet, { height, time: genesisTime + height * spacing - 900 }),
    );
    const lessAhead = bitsToTarget(
      nextWorkRequired(devnet, { height, time: genesisTime + height * spacing - 300 }),
    );
    assert.ok(ahead < lessAhead && lessAhead < powLimit);
    const behind = nextWorkRequired(devnet, {
      height,
      time: genesisTime + height * spacing + 100_000,
    });
    assert.equal(behind, devnet.powLimitBits);
  });

  it("rejects a devnet header whose bits differ from ASERT's, accepts the right ones", () => {
    const parent = { parentHeight: 240, parentTime: genesisTime + 240 * spacing - 600 };
    const expected = nextWorkRequired(devnet, { height: 240, time: parent.parentTime });
    const ctx: HeaderContext = {
      ...parent,
      parentMedianTimePast: parent.parentTime - 10,
      adjustedTime: parent.parentTime + 5,
    };
    const time = parent.parentTime + 5;
    contextualCheckBlockHeader(header({ time, bits: expected }), ctx, devnet);
    rejects(
      () => contextualCheckBlockHeader(header({ time, bits: devnet.powLimitBits }), ctx, devnet),
      "bad-diffbits",
    );
  });
});
