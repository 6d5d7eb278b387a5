import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  legacySigOpCount,
  p2shRedeemSigOpCount,
  p2shSigOpCount,
  scriptSigOpCount,
} from "../../src/consensus/sigops.ts";
import { UtxoOverlay } from "../../src/consensus/utxo-view.ts";
import { hash160 } from "../../src/crypto/hash.ts";
import { buildScript, p2shScript, pushData, pushDataLiteral } from "../../src/script/builder.ts";
import { Op } from "../../src/script/opcodes.ts";
import { coinbase, spend } from "./regtest-chain.ts";

const { OP_CHECKSIG, OP_CHECKSIGVERIFY, OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY } = Op;
const KEY = new Uint8Array(33).fill(2);

describe("scriptSigOpCount", () => {
  it("counts CHECKSIG and CHECKSIGVERIFY as one each", () => {
    assert.equal(
      scriptSigOpCount(buildScript(OP_CHECKSIG, OP_CHECKSIGVERIFY, OP_CHECKSIG), false),
      3,
    );
  });

  it("charges CHECKMULTISIG 20 unless counted accurately after OP_1..OP_16", () => {
    const twoOfThree = buildScript(
      Op.OP_2,
      pushData(KEY),
      pushData(KEY),
      pushData(KEY),
      Op.OP_3,
      OP_CHECKMULTISIG,
    );
    assert.equal(scriptSigOpCount(twoOfThree, false), 20);
    assert.equal(scriptSigOpCount(twoOfThree, true), 3);
    assert.equal(scriptSigOpCount(buildScript(Op.OP_16, OP_CHECKMULTISIGVERIFY), true), 16);
    // Not preceded by a small-number opcode: the maximum even when accurate.
    assert.equal(
      scriptSigOpCount(buildScript(pushDataLiteral(Uint8Array.of(3)), OP_CHECKMULTISIG), true),
      20,
    );
    assert.equal(scriptSigOpCount(buildScript(Op.OP_0, OP_CHECKMULTISIG), true), 20);
  });

  it("does not count opcodes inside pushed data, and stops at a truncated push", () => {
    assert.equal(scriptSigOpCount(pushData(Uint8Array.of(OP_CHECKSIG, OP_CHECKSIG)), false), 0);
    assert.equal(
      scriptSigOpCount(buildScript(OP_CHECKSIG, Op.OP_PUSHDATA1, 5, OP_CHECKSIG), false),
      1,
    );
  });
});

describe("P2SH sigops", () => {
  const redeem = buildScript(
    Op.OP_2,
    pushData(KEY),
    pushData(KEY),
    Op.OP_2,
    OP_CHECKMULTISIG,
    OP_CHECKSIG,
  );
  const p2sh = p2shScript(hash160(redeem));

  it("counts the last push of a push-only scriptSig accurately", () => {
    assert.equal(p2shRedeemSigOpCount(buildScript(Op.OP_0, pushData(redeem))), 3);
    // Not push-only, ends in a small number, or truncated: nothing counted.
    assert.equal(p2shRedeemSigOpCount(buildScript(Op.OP_NOP, pushData(redeem))), 0);
    assert.equal(p2shRedeemSigOpCount(buildScript(pushData(redeem), Op.OP_1)), 0);
    assert.equal(p2shRedeemSigOpCount(Uint8Array.of(Op.OP_PUSHDATA1, 200, 1)), 0);
  });

  it("adds up only inputs that spend P2SH outputs", () => {
    const view = new UtxoOverlay();
    const funding = "aa".repeat(32);
    view.addCoin(funding, 0, { value: 1n, scriptPubKey: p2sh, height: 1, isCoinbase: false });
    view.addCoin(funding, 1, {
      value: 1n,
      scriptPubKey: buildScript(OP_CHECKSIG),
      height: 1,
      isCoinbase: false,
    });
    const scriptSig = buildScript(Op.OP_0, pushData(redeem));
    const tx = spend({
      inputs: [
        { txid: funding, index: 0, scriptSig },
        { txid: funding, index: 1, scriptSig },
      ],
      outputs: [{ value: 1n, scriptPubKey: buildScript(OP_CHECKSIG) }],
    });
    assert.equal(p2shSigOpCount(tx, view), 3);
    // Legacy counting sees no opcode inside the pushes, only the output's CHECKSIG.
    assert.equal(legacySigOpCount(tx), 1);
    assert.equal(p2shSigOpCount(coinbase({ height: 1 }), view), 0);
  });
});
