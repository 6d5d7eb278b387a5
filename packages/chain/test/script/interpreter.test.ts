import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { hash160 } from "../../src/crypto/hash.ts";
import type { SignatureVerifier } from "../../src/crypto/signature-verifier.ts";
import { concatBytes, equalBytes } from "../../src/encoding/bytes.ts";
import { fromHex, toHex } from "../../src/encoding/hex.ts";
import { publicKeyFromPrivate } from "../../src/keys/private-key.ts";
import { signInput } from "../../src/keys/sign.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { scriptFromAsm, scriptToAsm } from "../../src/script/asm.ts";
import {
  buildScript,
  multisigScript,
  nullDataScript,
  p2pkhScript,
  p2pkScript,
  p2shScript,
  pushData,
  pushDataLiteral,
  pushNumber,
} from "../../src/script/builder.ts";
import { type SignatureChecker, TransactionSignatureChecker } from "../../src/script/checker.ts";
import { findAndDelete } from "../../src/script/find-and-delete.ts";
import { parseScriptFlags, ScriptFlag, scriptFlagNames } from "../../src/script/flags.ts";
import { evalScript, verifyScript, verifyScriptDetailed } from "../../src/script/interpreter.ts";
import { Op } from "../../src/script/opcodes.ts";
import { decodeScriptNum } from "../../src/script/script-num.ts";
import { legacySighash, SighashType } from "../../src/script/sighash.ts";
import {
  availableVerifiers,
  buildCreditingTransaction,
  buildSpendingTransaction,
} from "./core-harness.ts";

const CONSENSUS = ["P2SH", "DERSIG", "CHECKLOCKTIMEVERIFY", "CHECKSEQUENCEVERIFY"];
const POLICY = [
  ...CONSENSUS,
  "STRICTENC",
  "LOW_S",
  "NULLDUMMY",
  "MINIMALDATA",
  "CLEANSTACK",
  "NULLFAIL",
];

const keys = [1, 2, 3].map((i) => new Uint8Array(32).fill(i));
const pubkeys = keys.map((k) => publicKeyFromPrivate(k));

/** A one-input, one-output transaction spending `prevTxid:0`, for signing. */
function spendingTx(
  scriptSig: Uint8Array,
  opts: { version?: number; locktime?: number; sequence?: number } = {},
): Transaction {
  return new Transaction({
    version: opts.version ?? 1,
    inputs: [
      { prevTxid: "ab".repeat(32), prevIndex: 0, scriptSig, sequence: opts.sequence ?? 0xffffffff },
    ],
    outputs: [{ value: 1000n, scriptPubKey: p2pkhScript(hash160(pubkeys[0]!)) }],
    locktime: opts.locktime ?? 0,
  });
}

function withScriptSig(tx: Transaction, scriptSig: Uint8Array): Transaction {
  return new Transaction({ ...tx, inputs: [{ ...tx.inputs[0]!, scriptSig }] });
}

/** A checker for scripts that never check signatures or locks. */
const NO_TX_CHECKER: SignatureChecker = {
  checkSignature: () => assert.fail("no signature expected"),
  checkLockTime: () => assert.fail("no lock time expected"),
  checkSequence: () => assert.fail("no sequence expected"),
};

function run(asm: string, flags = 0): string | null {
  return evalScript([], scriptFromAsm(asm), flags, NO_TX_CHECKER);
}

describe("verifyScript", () => {
  const prevScript = p2pkhScript(hash160(pubkeys[0]!));
  const unsigned = spendingTx(new Uint8Array(0));
  const sig = signInput(unsigned, 0, keys[0]!, prevScript);
  const scriptSig = concatBytes(pushData(sig), pushData(pubkeys[0]!));
  const tx = withScriptSig(unsigned, scriptSig);

  it("accepts a signed P2PKH spend under consensus and policy flags", () => {
    assert.equal(verifyScript(scriptSig, prevScript, tx, 0, CONSENSUS), true);
    assert.equal(verifyScript(scriptSig, prevScript, tx, 0, POLICY), true);
    assert.equal(verifyScript(scriptSig, prevScript, tx, 0, POLICY.join(",")), true);
  });

  it("returns false, without throwing, when the signature does not match", () => {
    const other = new Transaction({ ...tx, locktime: 1 });
    assert.equal(verifyScript(scriptSig, prevScript, other, 0, CONSENSUS), false);
    assert.equal(
      verifyScriptDetailed(scriptSig, prevScript, other, 0, parseScriptFlags(CONSENSUS)),
      "EVAL_FALSE",
    );
    const wrongKey = p2pkhScript(hash160(pubkeys[1]!));
    assert.equal(verifyScriptDetailed(scriptSig, wrongKey, tx, 0, 0), "EQUALVERIFY");
  });

  it("treats unknown flags and CLEANSTACK without P2SH as programmer errors", () => {
    assert.throws(() => verifyScript(scriptSig, prevScript, tx, 0, ["P2SH", "NOPE"]), TypeError);
    assert.throws(() => verifyScript(scriptSig, prevScript, tx, 0, ["CLEANSTACK"]), TypeError);
    assert.throws(() => verifyScript(scriptSig, prevScript, tx, 1, CONSENSUS), RangeError);
  });

  it("accepts and ignores witness-era flag names", () => {
    const names = [
      "WITNESS",
      "MINIMALIF",
      "WITNESS_PUBKEYTYPE",
      "TAPROOT",
      "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM",
    ];
    assert.equal(verifyScript(scriptSig, prevScript, tx, 0, [...CONSENSUS, ...names]), true);
    assert.deepEqual(scriptFlagNames(parseScriptFlags(["NONE", "", "P2SH"])), ["P2SH"]);
  });

  it("hands (sighash, signature, public key) to an injected verifier, so checks can be recorded", () => {
    const seen: { sighash: string; der: string; pubkey: string }[] = [];
    const recorder: SignatureVerifier = {
      name: "recorder",
      verify(der, hash, pubkey) {
        seen.push({ sighash: toHex(hash), der: toHex(der), pubkey: toHex(pubkey) });
        return true;
      },
    };
    const checker = new TransactionSignatureChecker(tx, 0, recorder);
    assert.equal(
      verifyScriptDetailed(scriptSig, prevScript, tx, 0, parseScriptFlags(CONSENSUS), checker),
      null,
    );
    assert.deepEqual(seen, [
      {
        sighash: toHex(legacySighash(tx, 0, prevScript, SighashType.ALL)),
        der: toHex(sig.subarray(0, sig.length - 1)),
        pubkey: toHex(pubkeys[0]!),
      },
    ]);
  });
});

describe("P2SH multisig", () => {
  const redeem = multisigScript(2, pubkeys);
  const prevScript = p2shScript(hash160(redeem));
  const unsigned = spendingTx(new Uint8Array(0));
  // Signatures commit to the redeem script, the script code of the P2SH evaluation.
  const sigs = keys.map((k) => signInput(unsigned, 0, k, redeem));
  const scriptSigOf = (dummy: Uint8Array, ...s: Uint8Array[]) =>
    concatBytes(pushData(dummy), ...s.map(pushData), pushDataLiteral(redeem));

  for (const verifier of availableVerifiers()) {
    const check = (scriptSig: Uint8Array, flags: string[]) => {
      const tx = withScriptSig(unsigned, scriptSig);
      return verifyScriptDetailed(
        scriptSig,
        prevScript,
        tx,
        0,
        parseScriptFlags(flags),
        new TransactionSignatureChecker(tx, 0, verifier),
      );
    };

    it(`verifies 2-of-3 with signatures in key order only (${verifier.name})`, () => {
      const empty = new Uint8Array(0);
      assert.equal(check(scriptSigOf(empty, sigs[0]!, sigs[1]!), POLICY), null);
      assert.equal(check(scriptSigOf(empty, sigs[0]!, sigs[2]!), POLICY), null);
      assert.equal(check(scriptSigOf(empty, sigs[1]!, sigs[0]!), CONSENSUS), "EVAL_FALSE");
      // NULLFAIL: a failing CHECKMULTISIG must have only empty signatures.
      assert.equal(check(scriptSigOf(empty, sigs[1]!, sigs[0]!), POLICY), "NULLFAIL");
      // The off-by-one dummy: any value by consensus, empty under NULLDUMMY.
      assert.equal(check(scriptSigOf(Uint8Array.of(7), sigs[0]!, sigs[1]!), CONSENSUS), null);
      assert.equal(
        check(scriptSigOf(Uint8Array.of(7), sigs[0]!, sigs[1]!), POLICY),
        "SIG_NULLDUMMY",
      );
      // Without P2SH the scriptPubKey only checks the hash of the redeem script.
      assert.equal(check(scriptSigOf(empty, sigs[1]!, sigs[0]!), ["DERSIG"]), null);
    });
  }

  it("requires a push-only scriptSig for P2SH", () => {
    const scriptSig = concatBytes(
      Uint8Array.of(Op.OP_0),
      pushData(sigs[0]!),
      pushData(sigs[1]!),
      Uint8Array.of(Op.OP_NOP),
      pushDataLiteral(redeem),
    );
    const tx = withScriptSig(unsigned, scriptSig);
    assert.equal(
      verifyScriptDetailed(scriptSig, prevScript, tx, 0, ScriptFlag.P2SH),
      "SIG_PUSHONLY",
    );
  });

  it("checks CLEANSTACK after the redeem script", () => {
    const scriptSig = concatBytes(
      Uint8Array.of(Op.OP_1),
      scriptSigOf(new Uint8Array(0), sigs[0]!, sigs[1]!),
    );
    const tx = withScriptSig(unsigned, scriptSig);
    assert.equal(
      verifyScriptDetailed(scriptSig, prevScript, tx, 0, parseScriptFlags(CONSENSUS)),
      null,
    );
    assert.equal(
      verifyScriptDetailed(
        scriptSig,
        prevScript,
        tx,
        0,
        parseScriptFlags([...CONSENSUS, "CLEANSTACK"]),
      ),
      "CLEANSTACK",
    );
  });
});

describe("OP_CHECKLOCKTIMEVERIFY and OP_CHECKSEQUENCEVERIFY", () => {
  const flags = parseScriptFlags(CONSENSUS);
  const verifyWith = (asm: string, opts: Parameters<typeof spendingTx>[1]) => {
    const tx = spendingTx(new Uint8Array(0), opts);
    return verifyScriptDetailed(new Uint8Array(0), scriptFromAsm(asm), tx, 0, flags);
  };

  it("compares lock times of the same kind against a non-final input", () => {
    assert.equal(verifyWith("100 CHECKLOCKTIMEVERIFY", { locktime: 100, sequence: 0 }), null);
    assert.equal(
      verifyWith("101 CHECKLOCKTIMEVERIFY", { locktime: 100, sequence: 0 }),
      "UNSATISFIED_LOCKTIME",
    );
    assert.equal(verifyWith("100 CHECKLOCKTIMEVERIFY", { locktime: 100 }), "UNSATISFIED_LOCKTIME");
    assert.equal(
      verifyWith("100 CHECKLOCKTIMEVERIFY", { locktime: 500_000_000, sequence: 0 }),
      "UNSATISFIED_LOCKTIME",
    );
    assert.equal(
      verifyWith("500000000 CHECKLOCKTIMEVERIFY", { locktime: 600_000_000, sequence: 0 }),
      null,
    );
    // Five-byte operands are allowed here, four elsewhere.
    assert.equal(
      verifyWith("4294967295 CHECKLOCKTIMEVERIFY", { locktime: 0xffffffff, sequence: 0 }),
      null,
    );
    assert.equal(verifyWith("-1 CHECKLOCKTIMEVERIFY", { sequence: 0 }), "NEGATIVE_LOCKTIME");
    assert.equal(verifyWith("CHECKLOCKTIMEVERIFY", {}), "INVALID_STACK_OPERATION");
  });

  it("compares relative locks of the same kind, from version 2, and honours the disable bit", () => {
    assert.equal(verifyWith("10 CHECKSEQUENCEVERIFY", { version: 2, sequence: 10 }), null);
    assert.equal(
      verifyWith("11 CHECKSEQUENCEVERIFY", { version: 2, sequence: 10 }),
      "UNSATISFIED_LOCKTIME",
    );
    assert.equal(
      verifyWith("10 CHECKSEQUENCEVERIFY", { version: 1, sequence: 10 }),
      "UNSATISFIED_LOCKTIME",
    );
    // Version is compared unsigned: -1 is 0xffffffff >= 2.
    assert.equal(verifyWith("10 CHECKSEQUENCEVERIFY", { version: -1, sequence: 10 }), null);
    assert.equal(
      verifyWith("4194314 CHECKSEQUENCEVERIFY", { version: 2, sequence: 10 }),
      "UNSATISFIED_LOCKTIME",
    );
    assert.equal(
      verifyWith("4194314 CHECKSEQUENCEVERIFY", { version: 2, sequence: 0x40000a }),
      null,
    );
    assert.equal(
      verifyWith("10 CHECKSEQUENCEVERIFY", { version: 2, sequence: 0x8000000a }),
      "UNSATISFIED_LOCKTIME",
    );
    // Operand with bit 31 set: a NOP, even for a 5-byte operand.
    assert.equal(verifyWith("2147483648 CHECKSEQUENCEVERIFY", { version: 1 }), null);
    assert.equal(verifyWith("0x05 0x0000008001 CHECKSEQUENCEVERIFY", { version: 1 }), null); // 2^32 + 2^31
    // Only the low 32 bits are compared: 2^32 is a zero-block relative lock.
    assert.equal(
      verifyWith("0x05 0x0000000001 CHECKSEQUENCEVERIFY", { version: 2, sequence: 0 }),
      null,
    );
  });

  it("are NOPs without their flags, discouraged under DISCOURAGE_UPGRADABLE_NOPS", () => {
    assert.equal(run("1 CHECKLOCKTIMEVERIFY CHECKSEQUENCEVERIFY NOP1 NOP10"), null);
    assert.equal(
      run("1 CHECKLOCKTIMEVERIFY", ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS),
      "DISCOURAGE_UPGRADABLE_NOPS",
    );
    assert.equal(run("0 IF NOP4 ENDIF", ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS), null);
  });
});

describe("evalScript", () => {
  it("fails on disabled opcodes and VERIF/VERNOTIF even in unexecuted branches", () => {
    for (const op of [
      "CAT",
      "SUBSTR",
      "LEFT",
      "RIGHT",
      "INVERT",
      "AND",
      "OR",
      "XOR",
      "2MUL",
      "2DIV",
      "MUL",
      "DIV",
      "MOD",
      "LSHIFT",
      "RSHIFT",
    ]) {
      assert.equal(run(`0 IF ${op} ENDIF 1`), "DISABLED_OPCODE", op);
    }
    assert.equal(run("0 IF VERIF ENDIF 1"), "BAD_OPCODE");
    assert.equal(run("0 IF VERNOTIF ENDIF 1"), "BAD_OPCODE");
    assert.equal(run("0 IF VER RESERVED RESERVED1 0xba ENDIF 1"), null);
    assert.equal(run("1 IF VER ENDIF"), "BAD_OPCODE");
  });

  it("enforces the 520-byte push, 201-operation, 1,000-item and 10,000-byte limits", () => {
    const bigPush = (n: number) => toHex(pushDataLiteral(new Uint8Array(n)));
    assert.equal(run(`0x${bigPush(520)}`), null);
    assert.equal(run(`0 IF 0x${bigPush(521)} ENDIF`), "PUSH_SIZE");
    assert.equal(run(`1 ${"NOP ".repeat(201)}`), null);
    assert.equal(run(`1 ${"NOP ".repeat(202)}`), "OP_COUNT");
    assert.equal(run(`${"1 ".repeat(999)} TOALTSTACK 1`), null);
    assert.equal(run(`${"1 ".repeat(1000)} TOALTSTACK 1`), "STACK_SIZE");
    const large = buildScript(
      ...Array.from({ length: 20 }, () => pushDataLiteral(new Uint8Array(497))),
    );
    assert.equal(large.length, 10_000);
    assert.equal(evalScript([], large, 0, NO_TX_CHECKER), null);
    assert.equal(
      evalScript([], concatBytes(large, Uint8Array.of(Op.OP_1)), 0, NO_TX_CHECKER),
      "SCRIPT_SIZE",
    );
  });

  it("counts CHECKMULTISIG keys as operations", () => {
    const zeroOfTwenty = `0 0 ${"0 ".repeat(20)} 20 CHECKMULTISIG`;
    assert.equal(run(`${zeroOfTwenty} ${"NOP ".repeat(180)}`), null);
    assert.equal(run(`${zeroOfTwenty} ${"NOP ".repeat(181)}`), "OP_COUNT");
  });

  it("keeps IF/ELSE nesting balanced and executes the right branches", () => {
    assert.equal(run("1 IF 0 ELSE 1 ELSE 1 ENDIF"), null); // ELSE toggles again
    assert.equal(run("0 IF 1 ELSE 0 IF 1 ENDIF ENDIF 1"), null);
    assert.equal(run("1 IF"), "UNBALANCED_CONDITIONAL");
    assert.equal(run("ENDIF"), "UNBALANCED_CONDITIONAL");
    assert.equal(run("IF 1 ENDIF"), "UNBALANCED_CONDITIONAL");
    const stack: Uint8Array[] = [];
    assert.equal(
      evalScript(stack, scriptFromAsm("1 IF 2 ELSE 3 ENDIF 0 NOTIF 4 ENDIF"), 0, NO_TX_CHECKER),
      null,
    );
    assert.deepEqual(
      stack.map((b) => decodeScriptNum(b, true)),
      [2, 4],
    );
  });

  it("computes arithmetic on script numbers, and refuses 5-byte operands", () => {
    const stack: Uint8Array[] = [];
    assert.equal(
      evalScript(
        stack,
        scriptFromAsm("2147483647 DUP ADD -5 ABS 3 7 MIN 9 1 4 WITHIN 6 1SUB NEGATE"),
        0,
        NO_TX_CHECKER,
      ),
      null,
    );
    assert.deepEqual(
      stack.map((b) => decodeScriptNum(b, false, 5)),
      [2 ** 32 - 2, 5, 3, 0, -5],
    );
    assert.equal(run("2147483647 DUP ADD 1ADD"), "UNKNOWN_ERROR");
    assert.equal(run("0x02 0x0100 1ADD", ScriptFlag.MINIMALDATA), "UNKNOWN_ERROR");
    assert.equal(run("0x01 0x05", ScriptFlag.MINIMALDATA), "MINIMALDATA");
  });

  it("fails CHECKSIG encodings in Core's order", () => {
    const checker: SignatureChecker = { ...NO_TX_CHECKER, checkSignature: () => false };
    const pub = toHex(pushData(pubkeys[0]!));
    const evalWith = (asm: string, flags: number) =>
      evalScript([], scriptFromAsm(asm), flags, checker);
    assert.equal(evalWith(`0x01 0x01 0x${pub} CHECKSIG NOT`, ScriptFlag.DERSIG), "SIG_DER");
    assert.equal(evalWith(`0x01 0x01 0x${pub} CHECKSIG NOT`, 0), null);
    assert.equal(
      evalWith(`0 0x${pub} CHECKSIG NOT`, ScriptFlag.STRICTENC | ScriptFlag.NULLFAIL),
      null,
    );
    assert.equal(evalWith("0 0x02 0x0500 CHECKSIG NOT", ScriptFlag.STRICTENC), "PUBKEYTYPE");
    assert.equal(evalWith(`0x01 0x01 0x${pub} CHECKSIG`, ScriptFlag.NULLFAIL), "NULLFAIL");
  });
});

describe("findAndDelete", () => {
  const fad = (script: string, pattern: string) => {
    const r = findAndDelete(fromHex(script), fromHex(pattern));
    return [toHex(r.script), r.found];
  };

  it("removes whole-opcode matches, consecutive ones included, in one pass", () => {
    assert.deepEqual(fad("0302ff03", "0302ff03"), ["", 1]);
    assert.deepEqual(fad("0302ff030302ff03", "0302ff03"), ["", 2]);
    assert.deepEqual(fad("0302ff030302ff03", "02"), ["0302ff030302ff03", 0]);
    assert.deepEqual(fad("0302ff030302ff03", "ff"), ["0302ff030302ff03", 0]);
    // Matching the push prefix alone re-frames what follows.
    assert.deepEqual(fad("0302ff030302ff03", "03"), ["02ff0302ff03", 2]);
    // Matches may span opcodes, but must start on a boundary.
    assert.deepEqual(fad("02feed5169", "feed51"), ["02feed5169", 0]);
    assert.deepEqual(fad("02feed5169", "02feed51"), ["69", 1]);
    assert.deepEqual(fad("516902feed5169", "02feed51"), ["516969", 1]);
    assert.deepEqual(fad("0000515100", "0051"), ["005100", 1]);
    assert.deepEqual(fad("000051005151", "0051"), ["0051", 2]);
    // A truncated push at the end is kept as is.
    assert.deepEqual(fad("0003feed", "03feed"), ["00", 1]);
    assert.deepEqual(fad("0003feed", "00"), ["03feed", 1]);
    assert.deepEqual(fad("0003feed", ""), ["0003feed", 0]);
  });
});

describe("asm and builder", () => {
  it("parses Core's notation", () => {
    const hash = "89abcdefabbaabbaabbaabbaabbaabbaabbaabba";
    assert.deepEqual(
      scriptFromAsm(`DUP OP_HASH160 0x14 0x${hash} EQUALVERIFY CHECKSIG`),
      p2pkhScript(fromHex(hash)),
    );
    assert.deepEqual(
      scriptFromAsm("0 -1 16 17 -0"),
      Uint8Array.of(0x00, 0x4f, 0x60, 0x01, 0x11, 0x00),
    );
    assert.deepEqual(scriptFromAsm("'Az' ''"), Uint8Array.of(0x02, 0x41, 0x7a, 0x00));
    assert.deepEqual(
      scriptFromAsm("NOP2 NOP3\tCHECKLOCKTIMEVERIFY\n"),
      Uint8Array.of(0xb1, 0xb2, 0xb1),
    );
    assert.deepEqual(
      scriptFromAsm("4294967295"),
      Uint8Array.of(0x05, 0xff, 0xff, 0xff, 0xff, 0x00),
    );
    assert.throws(() => scriptFromAsm("4294967296"), { name: "DecodeError" });
    assert.throws(() => scriptFromAsm("FOO"), { name: "DecodeError" });
    assert.throws(() => scriptFromAsm("0x1"), { name: "DecodeError" });
  });

  it("formats any script so that it parses back to the same bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        assert.deepEqual(scriptFromAsm(scriptToAsm(bytes)), bytes);
      }),
    );
    assert.equal(scriptToAsm(scriptFromAsm("0 1 -1 DUP 0x02 0xbeef")), "0 1 -1 DUP 0x02 0xbeef");
  });

  it("pushes data minimally, as MINIMALDATA requires", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 520 }), (data) => {
        const stack: Uint8Array[] = [];
        assert.equal(
          evalScript(stack, pushData(data), ScriptFlag.MINIMALDATA, NO_TX_CHECKER),
          null,
        );
        assert.equal(stack.length, 1);
        // OP_1..OP_16 and OP_1NEGATE push the numbers' encodings, which are the same bytes.
        assert.ok(equalBytes(stack[0]!, data));
      }),
    );
  });

  it("pushes numbers that decode to themselves", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), (n) => {
        const stack: Uint8Array[] = [];
        assert.equal(evalScript(stack, pushNumber(n), ScriptFlag.MINIMALDATA, NO_TX_CHECKER), null);
        assert.equal(decodeScriptNum(stack[0]!, true), n);
      }),
    );
  });

  it("builds the standard templates", () => {
    const h = new Uint8Array(20).fill(9);
    assert.equal(scriptToAsm(p2shScript(h)), `HASH160 0x14 0x${toHex(h)} EQUAL`);
    assert.equal(scriptToAsm(p2pkScript(pubkeys[0]!)), `0x21 0x${toHex(pubkeys[0]!)} CHECKSIG`);
    assert.equal(
      scriptToAsm(multisigScript(1, pubkeys.slice(0, 2))),
      `1 0x21 0x${toHex(pubkeys[0]!)} 0x21 0x${toHex(pubkeys[1]!)} 2 CHECKMULTISIG`,
    );
    assert.equal(scriptToAsm(nullDataScript(Uint8Array.of(1, 2))), "RETURN 0x02 0x0102");
    assert.throws(() => p2pkhScript(new Uint8Array(19)), RangeError);
    assert.throws(() => multisigScript(3, pubkeys.slice(0, 2)), RangeError);
  });
});

describe("Core's crediting/spending harness", () => {
  it("spends the crediting output by txid", () => {
    const credit = buildCreditingTransaction(Uint8Array.of(Op.OP_1));
    const spend = buildSpendingTransaction(new Uint8Array(0), credit);
    assert.equal(spend.inputs[0]!.prevTxid, credit.txid());
    assert.equal(
      verifyScript(new Uint8Array(0), Uint8Array.of(Op.OP_1), spend, 0, CONSENSUS),
      true,
    );
  });
});
