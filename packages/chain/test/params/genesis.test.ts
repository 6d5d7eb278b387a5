import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBlock } from "../../src/consensus/check-block.ts";
import { contextualCheckBlock } from "../../src/consensus/contextual-block.ts";
import { getBlockSubsidy } from "../../src/consensus/subsidy.ts";
import { transactionCoins } from "../../src/consensus/utxo-view.ts";
import { toHex } from "../../src/encoding/hex.ts";
import {
  buildGenesisBlock,
  GENESIS_VERSION,
  genesisCoinbase,
  mineGenesis,
} from "../../src/params/genesis.ts";
import { NETWORKS } from "../../src/params/index.ts";
import { checkProofOfWork } from "../../src/pow/check-pow.ts";
import { Block } from "../../src/primitives/block.ts";

for (const params of Object.values(NETWORKS)) {
  describe(`${params.name} genesis`, () => {
    const spec = params.genesisSpec;

    it("re-derives from its spec to the hash fixed in code", () => {
      const rebuilt = buildGenesisBlock(spec, spec.nonce);
      assert.equal(rebuilt.hash(), params.genesisHash);
      assert.equal(params.genesis.hash(), params.genesisHash);
      assert.deepEqual(rebuilt.toBytes(), params.genesis.toBytes());
    });

    it("meets its own bits, which are the network's powLimit", () => {
      assert.equal(params.genesis.header.bits, params.powLimitBits);
      assert.ok(
        checkProofOfWork(params.genesisHash, params.genesis.header.bits, params.powLimitBits),
      );
    });

    it("carries the first nonce that meets the bits (what gen-genesis finds)", () => {
      if (spec.nonce > 0) {
        const earlier = buildGenesisBlock(spec, spec.nonce - 1);
        assert.equal(checkProofOfWork(earlier.hash(), spec.bits, params.powLimitBits), false);
      }
      if (spec.nonce < 100_000) assert.deepEqual(mineGenesis(spec), spec);
    });

    it("round-trips through bytes and passes the context-free and height-0 block rules", () => {
      const decoded = Block.fromBytes(params.genesis.toBytes());
      assert.equal(decoded.hash(), params.genesisHash);
      checkBlock(decoded, params);
      contextualCheckBlock(decoded, 0, spec.time - 1);
      assert.equal(decoded.header.version, GENESIS_VERSION);
      assert.equal(decoded.header.prevBlock, "0".repeat(64));
    });

    it("pays the first subsidy to an OP_RETURN output that never enters the UTXO set", () => {
      const coinbase = params.genesis.transactions[0]!;
      assert.equal(params.genesis.transactions.length, 1);
      assert.equal(coinbase.outputs[0]!.value, getBlockSubsidy(0, params));
      assert.equal(toHex(coinbase.outputs[0]!.scriptPubKey), "6a");
      assert.deepEqual(transactionCoins(coinbase, 0), []);
    });

    it("opens its coinbase with OP_0 and the network's message", () => {
      const scriptSig = params.genesis.transactions[0]!.inputs[0]!.scriptSig;
      const message = new TextDecoder().decode(scriptSig.subarray(2));
      assert.equal(scriptSig[0], 0x00);
      assert.equal(scriptSig[1], scriptSig.length - 2);
      assert.equal(message, spec.message);
      assert.match(message, new RegExp(`^Starling ${params.name}`));
    });
  });
}

describe("genesis construction", () => {
  const template = { message: "x", time: 1_800_000_000, bits: 0x207fffff, reward: 1n };

  it("differs with any template field", () => {
    const base = buildGenesisBlock(template, 0).hash();
    assert.notEqual(buildGenesisBlock({ ...template, message: "y" }, 0).hash(), base);
    assert.notEqual(buildGenesisBlock({ ...template, time: template.time + 1 }, 0).hash(), base);
    assert.notEqual(buildGenesisBlock({ ...template, reward: 2n }, 0).hash(), base);
    assert.notEqual(buildGenesisBlock(template, 1).hash(), base);
  });

  it("refuses an empty message and one longer than a direct push", () => {
    assert.throws(() => genesisCoinbase({ ...template, message: "" }), RangeError);
    assert.throws(() => genesisCoinbase({ ...template, message: "m".repeat(76) }), RangeError);
    genesisCoinbase({ ...template, message: "m".repeat(75) });
  });
});
