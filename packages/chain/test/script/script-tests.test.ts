import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SignatureVerifier } from "../../src/crypto/signature-verifier.ts";
import { scriptFromAsm } from "../../src/script/asm.ts";
import { TransactionSignatureChecker } from "../../src/script/checker.ts";
import { LEGACY_SCRIPT_FLAGS, parseScriptFlags, ScriptFlag } from "../../src/script/flags.ts";
import { verifyScriptDetailed } from "../../src/script/interpreter.ts";
import { readVector, VECTORS_MISSING, vectorsDir } from "../helpers/vectors.ts";
import {
  availableVerifiers,
  buildCreditingTransaction,
  buildSpendingTransaction,
} from "./core-harness.ts";

/**
 * Bitcoin Core's script_tests.json, run as Core's script_tests.cpp runs it: each case spends a
 * crediting transaction's output with a spending transaction, and the error code must be the
 * expected one. Segwit cases (witness data or the WITNESS flag) are out of scope and counted.
 */

interface ScriptCase {
  label: string;
  scriptSig: Uint8Array;
  scriptPubKey: Uint8Array;
  flags: number;
  expected: string;
}

function loadCases(): { cases: ScriptCase[]; skippedWitness: number } {
  const rows = readVector("bitcoin-core/script_tests.json") as unknown[][];
  const cases: ScriptCase[] = [];
  let skippedWitness = 0;
  rows.forEach((row, index) => {
    if (row.length === 1) return; // comment
    const hasWitness = Array.isArray(row[0]);
    const fields = (hasWitness ? row.slice(1) : row) as string[];
    const [sigAsm, pubKeyAsm, flagNames, expected, comment] = fields as [
      string,
      string,
      string,
      string,
      string?,
    ];
    if (hasWitness || flagNames.split(",").includes("WITNESS")) {
      skippedWitness++;
      return;
    }
    let flags = parseScriptFlags(flagNames);
    // As Core's DoTest: CLEANSTACK is only defined together with P2SH (and WITNESS, a no-op here).
    if (flags & ScriptFlag.CLEANSTACK) flags |= ScriptFlag.P2SH;
    cases.push({
      label: `#${index} [${sigAsm}] [${pubKeyAsm}] ${flagNames} → ${expected}${comment ? ` (${comment})` : ""}`,
      scriptSig: scriptFromAsm(sigAsm),
      scriptPubKey: scriptFromAsm(pubKeyAsm),
      flags,
      expected,
    });
  });
  return { cases, skippedWitness };
}

function run(c: ScriptCase, flags: number, verifier: SignatureVerifier): string {
  const credit = buildCreditingTransaction(c.scriptPubKey);
  const spend = buildSpendingTransaction(c.scriptSig, credit);
  const checker = new TransactionSignatureChecker(spend, 0, verifier);
  return verifyScriptDetailed(c.scriptSig, c.scriptPubKey, spend, 0, flags, checker) ?? "OK";
}

const present = vectorsDir() !== undefined;

describe("Bitcoin Core script_tests.json", { skip: present ? false : VECTORS_MISSING }, () => {
  const { cases, skippedWitness } = present ? loadCases() : { cases: [], skippedWitness: 0 };

  for (const verifier of availableVerifiers()) {
    it(`every non-witness case gives Core's error code (${verifier.name} verifier)`, (t) => {
      let passed = 0;
      for (const c of cases) {
        assert.equal(run(c, c.flags, verifier), c.expected, c.label);
        passed++;
      }
      assert.ok(passed > 1000, "the vector file lost most of its cases");
      t.diagnostic(
        `script_tests.json (${verifier.name}): ${passed} passed, ${skippedWitness} witness cases skipped`,
      );
    });
  }

  it("removing a flag keeps a valid case valid, adding one keeps an invalid case invalid", () => {
    const verifier = availableVerifiers()[0]!;
    const single = Object.values(ScriptFlag).filter(
      (bit) => bit !== 0 && bit & LEGACY_SCRIPT_FLAGS,
    );
    for (const c of cases) {
      const valid = c.expected === "OK";
      for (const bit of single) {
        const flags = valid ? c.flags & ~bit : c.flags | bit;
        if (flags === c.flags) continue;
        // Core refuses CLEANSTACK without P2SH; such combinations are not tests.
        if (flags & ScriptFlag.CLEANSTACK && !(flags & ScriptFlag.P2SH)) continue;
        assert.equal(
          run(c, flags, verifier) === "OK",
          valid,
          `${c.label} with flags ${flags.toString(16)}`,
        );
      }
    }
  });
});
