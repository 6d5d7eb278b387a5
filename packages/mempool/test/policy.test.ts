import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildScript,
  hash160,
  multisigScript,
  nullDataScript,
  Op,
  p2pkhScript,
  p2pkScript,
  p2shScript,
  pushData,
} from "@starling/chain";
import { dustThreshold, isDust, solveOutput } from "../src/index.ts";
import { alice, bob, key } from "./helpers/fixture.ts";

const DUST_RATE = 3000n;

describe("standard output templates (Core's Solver)", () => {
  it("recognises P2PKH, P2SH, P2PK, multisig and OP_RETURN", () => {
    assert.equal(solveOutput(p2pkhScript(hash160(alice.publicKey))).type, "pubkeyhash");
    assert.equal(solveOutput(p2shScript(new Uint8Array(20))).type, "scripthash");
    assert.equal(solveOutput(p2pkScript(alice.publicKey)).type, "pubkey");
    const uncompressed = Uint8Array.of(4, ...new Uint8Array(64).fill(7));
    assert.equal(solveOutput(p2pkScript(uncompressed)).type, "pubkey");
    assert.deepEqual(solveOutput(multisigScript(2, [alice.publicKey, bob.publicKey])), {
      type: "multisig",
      required: 2,
      keys: 2,
    });
    assert.equal(solveOutput(nullDataScript(new Uint8Array(80))).type, "nulldata");
    assert.equal(solveOutput(Uint8Array.of(Op.OP_RETURN)).type, "nulldata");
  });

  it("rejects near misses", () => {
    const bad = [
      Uint8Array.of(Op.OP_1),
      new Uint8Array(0),
      // P2PK with a key whose header byte does not match its length.
      buildScript(pushData(Uint8Array.of(4, ...new Uint8Array(32))), Op.OP_CHECKSIG),
      // Multisig whose key count disagrees with n, or m > n.
      buildScript(Op.OP_1, pushData(alice.publicKey), Op.OP_2, Op.OP_CHECKMULTISIG),
      buildScript(
        Op.OP_3,
        pushData(alice.publicKey),
        pushData(bob.publicKey),
        Op.OP_2,
        Op.OP_CHECKMULTISIG,
      ),
      // Trailing byte after OP_CHECKMULTISIG's position, OP_RETURN followed by a non-push.
      buildScript(Op.OP_1, pushData(alice.publicKey), Op.OP_1, Op.OP_NOP, Op.OP_CHECKMULTISIG),
      buildScript(Op.OP_RETURN, Op.OP_NOP),
      // P2PKH with one byte too many.
      buildScript(p2pkhScript(new Uint8Array(20)), Op.OP_NOP),
    ];
    for (const script of bad) assert.equal(solveOutput(script).type, "nonstandard");
  });

  it("counts up to 16 keys (standardness then allows 3)", () => {
    const keys = Array.from({ length: 16 }, (_, i) => key(10 + i).publicKey);
    assert.deepEqual(solveOutput(multisigScript(1, keys)), {
      type: "multisig",
      required: 1,
      keys: 16,
    });
  });
});

describe("dust (Core's GetDustThreshold at 3000/kB)", () => {
  it("546 for P2PKH, 540 for P2SH, 576 for compressed P2PK, 0 for OP_RETURN", () => {
    const at = (scriptPubKey: Uint8Array) => dustThreshold({ value: 0n, scriptPubKey }, DUST_RATE);
    assert.equal(at(p2pkhScript(new Uint8Array(20))), 546n);
    assert.equal(at(p2shScript(new Uint8Array(20))), 540n);
    assert.equal(at(p2pkScript(alice.publicKey)), 576n);
    assert.equal(at(nullDataScript(new Uint8Array(10))), 0n);
    const p2pkh = p2pkhScript(new Uint8Array(20));
    assert.equal(isDust({ value: 545n, scriptPubKey: p2pkh }, DUST_RATE), true);
    assert.equal(isDust({ value: 546n, scriptPubKey: p2pkh }, DUST_RATE), false);
    assert.equal(dustThreshold({ value: 0n, scriptPubKey: p2pkh }, 0n), 0n);
  });
});
