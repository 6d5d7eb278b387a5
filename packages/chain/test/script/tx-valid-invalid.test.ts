import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTransaction } from "../../src/consensus/check-transaction.ts";
import type { SignatureVerifier } from "../../src/crypto/signature-verifier.ts";
import { fromHex } from "../../src/encoding/hex.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { scriptFromAsm } from "../../src/script/asm.ts";
import { TransactionSignatureChecker } from "../../src/script/checker.ts";
import {
  LEGACY_SCRIPT_FLAGS,
  parseScriptFlags,
  ScriptFlag,
  scriptFlagBits,
  scriptFlagNames,
} from "../../src/script/flags.ts";
import { verifyScriptDetailed } from "../../src/script/interpreter.ts";
import { parseScript } from "../../src/script/parse.ts";
import { readVector, VECTORS_MISSING, vectorsDir } from "../helpers/vectors.ts";
import { availableVerifiers } from "./core-harness.ts";

/**
 * Bitcoin Core's tx_valid.json and tx_invalid.json, run as Core's transaction_tests.cpp runs
 * them. Valid: CheckTransaction passes and every input verifies with all flags but the listed
 * ones; removing any further flag keeps it valid, and adding back any listed one makes it fail.
 * Invalid: "BADTX" fails CheckTransaction; otherwise some input fails under exactly the listed
 * flags, still fails with any flag added, and passes with any listed flag removed.
 *
 * Witness cases are out of scope and counted: a witness-serialized transaction, WITNESS among the
 * flags in force, or a prevout (or P2SH redeem script) shaped like a witness program while Core's
 * flags include WITNESS, since Core then runs witness rules Starling does not have.
 */

interface TxCase {
  label: string;
  tx: Transaction;
  prevouts: Map<string, Uint8Array>;
  flagField: string;
}

const ALL_FLAGS = LEGACY_SCRIPT_FLAGS;
const SINGLE_FLAGS = Object.values(ScriptFlag).filter((bit) => bit !== 0 && bit & ALL_FLAGS);

/** Core's IsWitnessProgram: a version opcode then one push of 2..40 bytes, nothing else. */
function isWitnessProgram(script: Uint8Array): boolean {
  if (script.length < 4 || script.length > 42) return false;
  const version = script[0]!;
  if (version !== 0 && (version < 0x51 || version > 0x60)) return false;
  return script[1]! + 2 === script.length;
}

function spendsWitnessProgram(c: TxCase): boolean {
  return c.tx.inputs.some((input) => {
    const prevout = c.prevouts.get(`${input.prevTxid}:${input.prevIndex}`)!;
    if (isWitnessProgram(prevout)) return true;
    // P2SH-wrapped: the redeem script is the scriptSig's last push.
    const ops = parseScript(input.scriptSig).ops;
    const last = ops[ops.length - 1]?.data;
    return last !== undefined && isWitnessProgram(last);
  });
}

function loadCases(file: string): TxCase[] {
  const rows = readVector(`bitcoin-core/${file}`) as unknown[][];
  const cases: TxCase[] = [];
  rows.forEach((row, index) => {
    if (!Array.isArray(row[0])) return; // comment
    const [inputs, txHex, flagField] = row as [[string, number, string, number?][], string, string];
    const prevouts = new Map<string, Uint8Array>();
    for (const [txid, n, asm] of inputs) prevouts.set(`${txid}:${n >>> 0}`, scriptFromAsm(asm));
    cases.push({
      label: `${file} #${index} ${flagField}: ${txHex.slice(0, 60)}…`,
      tx: Transaction.fromBytes(fromHex(txHex)),
      prevouts,
      flagField,
    });
  });
  return cases;
}

/** Core's TrimFlags, for a set of flags in force: CLEANSTACK is only defined with P2SH. */
function trim(flags: number): number {
  return flags & ScriptFlag.P2SH ? flags : flags & ~ScriptFlag.CLEANSTACK;
}

/**
 * The flags in force with `bit` removed. Without CLTV or CSV their opcodes are upgradable NOPs,
 * which DISCOURAGE_UPGRADABLE_NOPS (policy) fails: that flag goes with them.
 */
function without(flags: number, bit: number): number {
  const nopBits = ScriptFlag.CHECKLOCKTIMEVERIFY | ScriptFlag.CHECKSEQUENCEVERIFY;
  const extra = bit & nopBits ? ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS : 0;
  return trim(flags & ~bit & ~extra);
}

/** Core's FillFlags: CLEANSTACK brings P2SH (and WITNESS, a no-op here). */
function fill(flags: number): number {
  return flags & ScriptFlag.CLEANSTACK ? flags | ScriptFlag.P2SH : flags;
}

/** True when every input verifies. */
function scriptsValid(c: TxCase, flags: number, verifier: SignatureVerifier): boolean {
  return c.tx.inputs.every((input, i) => {
    const prevout = c.prevouts.get(`${input.prevTxid}:${input.prevIndex}`);
    assert.ok(prevout !== undefined, `${c.label}: no prevout for input ${i}`);
    const checker = new TransactionSignatureChecker(c.tx, i, verifier);
    return verifyScriptDetailed(input.scriptSig, prevout, c.tx, i, flags, checker) === null;
  });
}

const present = vectorsDir() !== undefined;
const verifiers = availableVerifiers();

describe("Bitcoin Core tx_valid.json", { skip: present ? false : VECTORS_MISSING }, () => {
  const cases = present ? loadCases("tx_valid.json") : [];

  verifiers.forEach((verifier, v) => {
    // The flag variations test the interpreter, not the backend: once is enough.
    const variations = v === 0;
    it(`every non-witness transaction is valid (${verifier.name} verifier)`, (t) => {
      let passed = 0;
      let skipped = 0;
      for (const c of cases) {
        // Core verifies with every flag but the listed ones, WITNESS included.
        if (c.tx.hasWitness() || spendsWitnessProgram(c)) {
          skipped++;
          continue;
        }
        const excluded = scriptFlagBits(c.flagField);
        const flags = ALL_FLAGS & ~excluded;
        assert.equal(flags, trim(flags), `${c.label}: bad test flags`);
        assert.doesNotThrow(() => checkTransaction(c.tx), c.label);
        assert.ok(scriptsValid(c, flags, verifier), c.label);
        for (const bit of variations ? SINGLE_FLAGS : []) {
          const fewer = without(flags, bit);
          if (fewer !== flags)
            assert.ok(
              scriptsValid(c, fewer, verifier),
              `${c.label} without ${scriptFlagNames(bit)}`,
            );
          if (excluded & bit) {
            const more = trim(ALL_FLAGS & ~(excluded & ~bit));
            if (more !== flags)
              assert.ok(
                !scriptsValid(c, more, verifier),
                `${c.label}: valid with ${scriptFlagNames(bit)} (flags not maximal)`,
              );
          }
        }
        passed++;
      }
      assert.ok(passed > 50, "the vector file lost most of its cases");
      t.diagnostic(
        `tx_valid.json (${verifier.name}): ${passed} passed, ${skipped} witness cases skipped`,
      );
    });
  });
});

describe("Bitcoin Core tx_invalid.json", { skip: present ? false : VECTORS_MISSING }, () => {
  const cases = present ? loadCases("tx_invalid.json") : [];

  verifiers.forEach((verifier, v) => {
    const variations = v === 0;
    it(`every non-witness transaction is invalid (${verifier.name} verifier)`, (t) => {
      let passed = 0;
      let skipped = 0;
      for (const c of cases) {
        const badTx = c.flagField === "BADTX";
        const flags = badTx ? 0 : parseScriptFlags(c.flagField);
        if (c.tx.hasWitness() || flags & ScriptFlag.WITNESS) {
          skipped++;
          continue;
        }
        if (badTx) {
          assert.throws(() => checkTransaction(c.tx), c.label);
          passed++;
          continue;
        }
        assert.doesNotThrow(() => checkTransaction(c.tx), c.label);
        assert.ok(!scriptsValid(c, flags, verifier), c.label);
        for (const bit of variations ? SINGLE_FLAGS : []) {
          const more = fill(flags | bit);
          if (more !== flags)
            assert.ok(!scriptsValid(c, more, verifier), `${c.label} with ${scriptFlagNames(bit)}`);
          if (flags & bit) {
            const fewer = trim(flags & ~bit);
            assert.ok(
              scriptsValid(c, fewer, verifier),
              `${c.label}: invalid without ${scriptFlagNames(bit)} (flags not minimal)`,
            );
          }
        }
        passed++;
      }
      assert.ok(passed > 50, "the vector file lost most of its cases");
      t.diagnostic(
        `tx_invalid.json (${verifier.name}): ${passed} passed, ${skipped} witness cases skipped`,
      );
    });
  });
});
