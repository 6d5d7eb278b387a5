import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkTxInputs,
  checkTxScripts,
  connectBlockChecks,
  runScriptJob,
  runScriptJobs,
} from "../../src/consensus/check-inputs.ts";
import { COIN, MAX_BLOCK_SIGOPS, MAX_MONEY } from "../../src/consensus/constants.ts";
import { STANDARD_SCRIPT_FLAGS } from "../../src/consensus/script-flags.ts";
import { getBlockSubsidy } from "../../src/consensus/subsidy.ts";
import { type Coin, UtxoOverlay } from "../../src/consensus/utxo-view.ts";
import { hash160 } from "../../src/crypto/hash.ts";
import { BlockValidationError, TxValidationError, type ValidationError } from "../../src/errors.ts";
import { regtest } from "../../src/params/regtest.ts";
import type { Block } from "../../src/primitives/block.ts";
import type { Transaction } from "../../src/primitives/transaction.ts";
import { buildScript, p2shScript, pushData } from "../../src/script/builder.ts";
import { Op } from "../../src/script/opcodes.ts";
import { coinbase, mineBlock, OP_TRUE_SCRIPT, spend } from "./regtest-chain.ts";

const HEIGHT = 1000;
const MATURITY = regtest.coinbaseMaturity;
const FUNDING = "66".repeat(32);
const SUBSIDY = getBlockSubsidy(HEIGHT, regtest);
const CONTEXT = { params: regtest, medianTimePastAt: (h: number) => 1_800_000_000 + h };

function coin(value: bigint, fields: Partial<Coin> = {}): Coin {
  return { value, scriptPubKey: OP_TRUE_SCRIPT, height: 1, isCoinbase: false, ...fields };
}

function viewWith(...coins: Coin[]): UtxoOverlay {
  const view = new UtxoOverlay();
  for (const [index, c] of coins.entries()) view.addCoin(FUNDING, index, c);
  return view;
}

function pay(
  inputs: number[],
  values: bigint[],
  extra: Partial<Parameters<typeof spend>[0]> = {},
): Transaction {
  return spend({
    inputs: inputs.map((index) => ({ txid: FUNDING, index })),
    outputs: values.map((value) => ({ value })),
    ...extra,
  });
}

function block(transactions: readonly Transaction[]): Block {
  return mineBlock(
    { prevBlock: regtest.genesisHash, time: 1_800_000_000 + HEIGHT, bits: regtest.powLimitBits },
    transactions,
    regtest.powLimitBits,
  );
}

function fails<E extends ValidationError>(
  fn: () => unknown,
  type: new (...args: never[]) => E,
  code: string,
  score = 100,
): E {
  let caught: E | undefined;
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.score, score);
    caught = error;
    return true;
  });
  return caught!;
}

describe("checkTxInputs", () => {
  it("returns the fee and the spent coins in input order", () => {
    const view = viewWith(coin(5n * COIN), coin(3n * COIN));
    const result = checkTxInputs(pay([1, 0], [7n * COIN]), view, HEIGHT, MATURITY);
    assert.equal(result.fee, 1n * COIN);
    assert.deepEqual(
      result.coins.map((c) => c.value),
      [3n * COIN, 5n * COIN],
    );
  });

  it("reports missing inputs without penalty: the transaction may be an orphan", () => {
    const error = fails(
      () => checkTxInputs(pay([0, 1], [1n]), viewWith(coin(5n)), HEIGHT, MATURITY),
      TxValidationError,
      "bad-txns-inputs-missingorspent",
      0,
    );
    assert.equal(error.action, "ignore");
  });

  it("lets a coinbase output be spent only 100 blocks after its own", () => {
    const view = viewWith(coin(5n, { isCoinbase: true, height: HEIGHT - MATURITY + 1 }));
    fails(
      () => checkTxInputs(pay([0], [1n]), view, HEIGHT, MATURITY),
      TxValidationError,
      "bad-txns-premature-spend-of-coinbase",
      0,
    );
    checkTxInputs(pay([0], [1n]), view, HEIGHT + 1, MATURITY);
    // Maturity binds only coinbase outputs.
    checkTxInputs(pay([0], [1n]), viewWith(coin(5n, { height: HEIGHT })), HEIGHT, MATURITY);
  });

  it("rejects input values outside 0..MAX_MONEY, singly or summed", () => {
    const code = "bad-txns-inputvalues-outofrange";
    fails(
      () => checkTxInputs(pay([0], [0n]), viewWith(coin(MAX_MONEY + 1n)), HEIGHT, MATURITY),
      TxValidationError,
      code,
    );
    fails(
      () => checkTxInputs(pay([0], [0n]), viewWith(coin(-1n)), HEIGHT, MATURITY),
      TxValidationError,
      code,
    );
    const twoHalves = viewWith(coin(MAX_MONEY / 2n + 1n), coin(MAX_MONEY / 2n));
    fails(
      () => checkTxInputs(pay([0, 1], [0n]), twoHalves, HEIGHT, MATURITY),
      TxValidationError,
      code,
    );
  });

  it("rejects spending more than the inputs (bad-txns-in-belowout), accepts exactly all", () => {
    const view = viewWith(coin(10n));
    fails(
      () => checkTxInputs(pay([0], [6n, 5n]), view, HEIGHT, MATURITY),
      TxValidationError,
      "bad-txns-in-belowout",
    );
    assert.equal(checkTxInputs(pay([0], [6n, 4n]), view, HEIGHT, MATURITY).fee, 0n);
  });

  it("rejects a fee above MAX_MONEY (reachable only with outputs CheckTransaction refuses)", () => {
    fails(
      () => checkTxInputs(pay([0], [-1n]), viewWith(coin(MAX_MONEY)), HEIGHT, MATURITY),
      TxValidationError,
      "bad-txns-fee-outofrange",
    );
  });
});

describe("connectBlockChecks", () => {
  it("spends earlier outputs of the same block and reports the net UTXO changes", () => {
    const view = viewWith(coin(10n * COIN));
    const first = pay([0], [6n * COIN, 3n * COIN]);
    const second = spend({
      inputs: [{ txid: first.txid(), index: 0 }],
      outputs: [{ value: 5n * COIN }],
    });
    const cb = coinbase({ height: HEIGHT, value: SUBSIDY + 2n * COIN });
    const result = connectBlockChecks(block([cb, first, second]), HEIGHT, view, CONTEXT);
    assert.equal(result.fees, 2n * COIN);
    assert.equal(result.subsidy, SUBSIDY);
    assert.deepEqual(
      result.spent.map((s) => [s.txid, s.index, s.createdInBlock, s.coin.height]),
      [
        [FUNDING, 0, false, 1],
        [first.txid(), 0, true, HEIGHT],
      ],
    );
    assert.deepEqual(
      result.created.map((c) => [c.txid, c.index, c.coin.value, c.coin.isCoinbase]),
      [
        [cb.txid(), 0, SUBSIDY + 2n * COIN, true],
        [first.txid(), 1, 3n * COIN, false],
        [second.txid(), 0, 5n * COIN, false],
      ],
    );
    assert.equal(result.scriptJobs.length, 2);
    runScriptJobs(result.scriptJobs);
    // The caller's view is only read.
    assert.ok(view.getCoin(FUNDING, 0));
  });

  it("leaves OP_RETURN and over-long outputs out of the UTXO set", () => {
    const tx = spend({
      inputs: [{ txid: FUNDING, index: 0 }],
      outputs: [
        { value: 0n, scriptPubKey: Uint8Array.of(Op.OP_RETURN, 1, 2) },
        { value: 1n },
        { value: 0n, scriptPubKey: new Uint8Array(10_001).fill(Op.OP_1) },
        { value: 0n, scriptPubKey: new Uint8Array(10_000).fill(Op.OP_1) },
      ],
    });
    const result = connectBlockChecks(
      block([coinbase({ height: HEIGHT }), tx]),
      HEIGHT,
      viewWith(coin(1n)),
      CONTEXT,
    );
    assert.deepEqual(
      result.created.filter((c) => c.txid === tx.txid()).map((c) => c.index),
      [1, 3],
    );
  });

  it("rejects a double spend inside the block, and a missing input, with score 100", () => {
    const view = viewWith(coin(10n));
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), pay([0], [1n]), pay([0], [2n])]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-inputs-missingorspent",
    );
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), pay([1], [1n])]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-inputs-missingorspent",
    );
  });

  it("refuses, with score 100, an immature coinbase spend that a mempool would only defer", () => {
    const view = viewWith(coin(5n, { isCoinbase: true, height: HEIGHT - MATURITY + 1 }));
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), pay([0], [1n])]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-premature-spend-of-coinbase",
    );
  });

  it("turns every transaction reason into the block's reason", () => {
    const view = viewWith(coin(10n));
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), pay([0], [11n])]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-in-belowout",
    );
  });

  it("rejects fees that add up past MAX_MONEY (bad-txns-accumulated-fee-outofrange)", () => {
    const view = viewWith(coin(MAX_MONEY), coin(MAX_MONEY));
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), pay([0], [0n]), pay([1], [0n])]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-accumulated-fee-outofrange",
    );
  });

  it("caps the coinbase at subsidy plus fees (bad-cb-amount)", () => {
    const view = viewWith(coin(10n));
    const tx = pay([0], [7n]);
    connectBlockChecks(
      block([coinbase({ height: HEIGHT, value: SUBSIDY + 3n }), tx]),
      HEIGHT,
      view,
      CONTEXT,
    );
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT, value: SUBSIDY + 4n }), tx]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-cb-amount",
    );
    // Summed over every coinbase output.
    const split = coinbase({ height: HEIGHT, outputs: [{ value: SUBSIDY }, { value: 4n }] });
    fails(
      () => connectBlockChecks(block([split, tx]), HEIGHT, view, CONTEXT),
      BlockValidationError,
      "bad-cb-amount",
    );
  });

  it("enforces BIP68 against the coin's height, for coins of this block too", () => {
    const view = viewWith(coin(10n, { height: HEIGHT - 5 }));
    const relative = (n: number) =>
      spend({ inputs: [{ txid: FUNDING, index: 0, sequence: n }], outputs: [{ value: 1n }] });
    connectBlockChecks(block([coinbase({ height: HEIGHT }), relative(5)]), HEIGHT, view, CONTEXT);
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), relative(6)]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-nonfinal",
    );
    const parent = relative(0);
    const child = (n: number) =>
      spend({ inputs: [{ txid: parent.txid(), index: 0, sequence: n }], outputs: [{ value: 1n }] });
    connectBlockChecks(
      block([coinbase({ height: HEIGHT }), parent, child(0)]),
      HEIGHT,
      view,
      CONTEXT,
    );
    fails(
      () =>
        connectBlockChecks(
          block([coinbase({ height: HEIGHT }), parent, child(1)]),
          HEIGHT,
          view,
          CONTEXT,
        ),
      BlockValidationError,
      "bad-txns-nonfinal",
    );
  });

  it("counts P2SH redeem-script sigops toward the 40,000 limit", () => {
    const redeem = (n: number) => new Uint8Array(n).fill(Op.OP_CHECKMULTISIG);
    const spendRedeem = (script: Uint8Array) => {
      const view = viewWith(coin(10n, { scriptPubKey: p2shScript(hash160(script)) }));
      const tx = spend({
        inputs: [{ txid: FUNDING, index: 0, scriptSig: pushData(script) }],
        outputs: [{ value: 1n }],
      });
      return () =>
        connectBlockChecks(block([coinbase({ height: HEIGHT }), tx]), HEIGHT, view, CONTEXT);
    };
    assert.equal(spendRedeem(redeem(MAX_BLOCK_SIGOPS / 20))().sigops, MAX_BLOCK_SIGOPS);
    fails(spendRedeem(redeem(MAX_BLOCK_SIGOPS / 20 + 1)), BlockValidationError, "bad-blk-sigops");
  });

  it("defers scripts to jobs; a failing one rejects the block as blk-bad-inputs", () => {
    const view = viewWith(coin(10n, { scriptPubKey: Uint8Array.of(Op.OP_0) }), coin(10n));
    const result = connectBlockChecks(
      block([coinbase({ height: HEIGHT }), pay([1], [1n]), pay([0], [1n])]),
      HEIGHT,
      view,
      CONTEXT,
    );
    assert.deepEqual(
      result.scriptJobs.map((job) => runScriptJob(job)),
      [null, "EVAL_FALSE"],
    );
    const error = fails(
      () => runScriptJobs(result.scriptJobs),
      BlockValidationError,
      "blk-bad-inputs",
    );
    assert.match(error.message, /mandatory-script-verify-flag-failed \(EVAL_FALSE\)/);
  });

  it("applies the consensus script flags: CLTV and CSV are enforced", () => {
    const cltv = buildScript(
      pushData(Uint8Array.of(0xe8, 0x03)),
      Op.OP_CHECKLOCKTIMEVERIFY,
      Op.OP_DROP,
      Op.OP_1,
    );
    const csv = buildScript(Op.OP_5, Op.OP_CHECKSEQUENCEVERIFY, Op.OP_DROP, Op.OP_1);
    const view = viewWith(
      coin(10n, { scriptPubKey: cltv, height: 1 }),
      coin(10n, { scriptPubKey: csv, height: 1 }),
    );
    const jobsOf = (tx: Transaction) =>
      connectBlockChecks(block([coinbase({ height: HEIGHT }), tx]), HEIGHT, view, CONTEXT)
        .scriptJobs;
    // Locktime 999 < 1000 required by the script.
    const early = spend({
      inputs: [{ txid: FUNDING, index: 0, sequence: 0 }],
      outputs: [{ value: 1n }],
      locktime: 999,
    });
    const late = spend({
      inputs: [{ txid: FUNDING, index: 0, sequence: 0 }],
      outputs: [{ value: 1n }],
      locktime: 1000,
    });
    assert.equal(runScriptJob(jobsOf(early)[0]!), "UNSATISFIED_LOCKTIME");
    assert.equal(runScriptJob(jobsOf(late)[0]!), null);
    const short = spend({
      inputs: [{ txid: FUNDING, index: 1, sequence: 4 }],
      outputs: [{ value: 1n }],
    });
    const enough = spend({
      inputs: [{ txid: FUNDING, index: 1, sequence: 5 }],
      outputs: [{ value: 1n }],
    });
    assert.equal(runScriptJob(jobsOf(short)[0]!), "UNSATISFIED_LOCKTIME");
    assert.equal(runScriptJob(jobsOf(enough)[0]!), null);
  });
});

describe("checkTxScripts", () => {
  it("tells a policy-only failure (non-mandatory, score 0) from an invalid spend", () => {
    const tx = spend({
      inputs: [{ txid: FUNDING, index: 0, scriptSig: Uint8Array.of(Op.OP_1) }],
      outputs: [{ value: 1n }],
    });
    // OP_1 then OP_TRUE leaves two items: fine for consensus, not for CLEANSTACK.
    checkTxScripts(tx, [coin(10n)]);
    fails(
      () => checkTxScripts(tx, [coin(10n)], STANDARD_SCRIPT_FLAGS),
      TxValidationError,
      "non-mandatory-script-verify-flag (CLEANSTACK)",
      0,
    );
    fails(
      () =>
        checkTxScripts(
          tx,
          [coin(10n, { scriptPubKey: Uint8Array.of(Op.OP_0) })],
          STANDARD_SCRIPT_FLAGS,
        ),
      TxValidationError,
      "mandatory-script-verify-flag-failed (EVAL_FALSE)",
    );
  });
});
