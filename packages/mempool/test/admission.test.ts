import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildScript,
  hash160,
  multisigScript,
  nullDataScript,
  Op,
  p2pkhScriptSig,
  p2shScript,
  pushData,
  pushDataLiteral,
  signInput,
  Transaction,
} from "@starling/chain";
import { MempoolReason } from "../src/index.ts";
import { refused } from "./helpers/assertions.ts";
import {
  alice,
  bob,
  createFixture,
  key,
  output,
  payments,
  spend,
  spendChain,
} from "./helpers/fixture.ts";
import { coinbaseTx, OP_TRUE_SCRIPT } from "./helpers/regtest-chain.ts";

/** Every refusal reason of admission, each from a transaction that breaks exactly that rule. */

describe("admission: a valid transaction", () => {
  it("is accepted with its fee, size and entry, and announced", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.coins[0]!], fee: 5_000n });
    const result = await f.mempool.submit(tx, { peer: "peer-1" });
    assert.deepEqual(result, {
      status: "accepted",
      txid: tx.txid(),
      fee: 5_000n,
      size: tx.size(),
      replaced: [],
    });
    assert.ok(f.mempool.has(tx.txid()));
    assert.equal(f.mempool.get(tx.txid()), tx);
    assert.deepEqual(f.mempool.txids(), [tx.txid()]);
    const entry = f.mempool.getEntry(tx.txid())!;
    assert.equal(entry.fees.base, 5_000n);
    assert.equal(entry.vsize, tx.size());
    assert.equal(entry.height, f.chain.height);
    assert.equal(entry.time, Math.floor(f.clock.now));
    assert.equal(entry.ancestorcount, 1);
    assert.equal(f.added.length, 1);
    assert.equal(f.added[0]!.peer, "peer-1");
    assert.equal(f.added[0]!.txid, tx.txid());
    const info = f.mempool.info();
    assert.equal(info.size, 1);
    assert.equal(info.bytes, tx.size());
    assert.equal(info.total_fee, 5_000n);
    assert.ok(info.usage > tx.size());
    f.mempool.check();
  });

  it("spends unconfirmed outputs of mempool parents", async () => {
    const f = createFixture();
    const [parent, child] = spendChain(f.coins[0]!, 2);
    await f.mempool.submit(parent!);
    await f.mempool.submit(child!);
    const entry = f.mempool.getEntry(child!.txid())!;
    assert.deepEqual(entry.depends, [parent!.txid()]);
    assert.deepEqual(f.mempool.getEntry(parent!.txid())!.spentby, [child!.txid()]);
    assert.equal(entry.ancestorcount, 2);
    assert.equal(entry.ancestorsize, parent!.size() + child!.size());
    f.mempool.check();
  });
});

describe("admission: consensus refusals", () => {
  it("bad-txns-inputs-duplicate (CheckTransaction)", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.coins[0]!, f.coins[0]!] });
    await refused(f.mempool.submit(tx), "bad-txns-inputs-duplicate", false);
  });

  it("bad-txns-in-belowout", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const tx = spend({ inputs: [coin], outputs: payments(alice, 1, coin.value + 1n) });
    await refused(f.mempool.submit(tx), "bad-txns-in-belowout", false);
  });

  it("bad-txns-premature-spend-of-coinbase, without punishing the sender", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.immatureCoinbase] });
    const error = await refused(f.mempool.submit(tx), "bad-txns-premature-spend-of-coinbase");
    assert.equal(error.score, 0);
  });

  it("accepts a mature coinbase spend", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.matureCoinbase] });
    assert.equal((await f.mempool.submit(tx)).status, "accepted");
  });

  it("mandatory-script-verify-flag-failed for a key that does not match (score 100)", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const unsigned = spend({ inputs: [coin] });
    const wrongKey = p2pkhScriptSig(
      signInput(unsigned, 0, bob.privateKey, alice.script),
      bob.publicKey,
    );
    const tx = spend({ inputs: [coin], scriptSigs: new Map([[0, wrongKey]]) });
    const error = await refused(
      f.mempool.submit(tx),
      "mandatory-script-verify-flag-failed (EQUALVERIFY)",
      false,
    );
    assert.equal(error.score, 100);
  });

  it("mandatory-script-verify-flag-failed for a signature of another transaction", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const other = spend({ inputs: [coin], fee: 20_000n });
    const stolen = other.inputs[0]!.scriptSig;
    const tx = spend({ inputs: [coin], scriptSigs: new Map([[0, stolen]]) });
    await refused(f.mempool.submit(tx), /^mandatory-script-verify-flag-failed \(/, false);
  });
});

describe("admission: policy refusals", () => {
  it("coinbase", async () => {
    const f = createFixture();
    const cb = coinbaseTx(f.chain.height + 1, payments(alice, 1, 1_000_000n));
    await refused(f.mempool.submit(cb), MempoolReason.COINBASE, true);
  });

  it("version (0 and 3; 1 and 2 are standard)", async () => {
    const f = createFixture();
    for (const version of [0, 3]) {
      const tx = spend({ inputs: [f.coins[0]!], version });
      await refused(f.mempool.submit(tx), MempoolReason.VERSION, true);
    }
    assert.equal(
      (await f.mempool.submit(spend({ inputs: [f.coins[1]!], version: 1 }))).status,
      "accepted",
    );
  });

  it("tx-size above 100,000 bytes", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.coins[0]!], outputs: payments(alice, 3000, 1_000n) });
    assert.ok(tx.size() > 100_000);
    await refused(f.mempool.submit(tx), MempoolReason.TX_SIZE, true);
  });

  it("tx-size-small below 65 bytes", async () => {
    const f = createFixture();
    const tx = spend({
      inputs: [f.coins[0]!],
      outputs: [{ value: 0n, scriptPubKey: nullDataScript(new Uint8Array(0)) }],
      scriptSigs: new Map([[0, new Uint8Array(0)]]),
    });
    assert.ok(tx.size() < 65);
    await refused(f.mempool.submit(tx), MempoolReason.TX_SIZE_SMALL, true);
  });

  it("scriptsig-size above 1650 bytes", async () => {
    const f = createFixture();
    const big = buildScript(...Array.from({ length: 4 }, () => pushData(new Uint8Array(500))));
    const tx = spend({ inputs: [f.coins[0]!], scriptSigs: new Map([[0, big]]) });
    await refused(f.mempool.submit(tx), MempoolReason.SCRIPTSIG_SIZE, true);
  });

  it("scriptsig-not-pushonly", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const signed = spend({ inputs: [coin] }).inputs[0]!.scriptSig;
    const withNop = buildScript(signed, Op.OP_NOP);
    const tx = spend({ inputs: [coin], scriptSigs: new Map([[0, withNop]]) });
    await refused(f.mempool.submit(tx), MempoolReason.SCRIPTSIG_NOT_PUSHONLY, true);
  });

  it("scriptpubkey for a non-standard output", async () => {
    const f = createFixture();
    const tx = spend({
      inputs: [f.coins[0]!],
      outputs: [{ value: 1_000_000n, scriptPubKey: OP_TRUE_SCRIPT }],
    });
    await refused(f.mempool.submit(tx), MempoolReason.SCRIPTPUBKEY, true);
  });

  it("bare multisig: up to 3 keys standard, 4 not; bare-multisig when not permitted", async () => {
    const f = createFixture();
    const keys = [1, 2, 3, 4].map((t) => key(t).publicKey);
    const pay = (script: Uint8Array) => [{ value: 1_000_000n, scriptPubKey: script }];
    const four = spend({ inputs: [f.coins[0]!], outputs: pay(multisigScript(2, keys)) });
    await refused(f.mempool.submit(four), MempoolReason.SCRIPTPUBKEY, true);
    const three = spend({
      inputs: [f.coins[1]!],
      outputs: pay(multisigScript(2, keys.slice(0, 3))),
    });
    assert.equal((await f.mempool.submit(three)).status, "accepted");
    const strict = f.newMempool({ permitBareMultisig: false });
    const again = spend({
      inputs: [f.coins[2]!],
      outputs: pay(multisigScript(1, keys.slice(0, 2))),
    });
    await refused(strict.submit(again), MempoolReason.BARE_MULTISIG, true);
  });

  it("dust: 545 base units to P2PKH is dust at 3000/kB, 546 is not", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const outputs = (value: bigint) => [
      { value, scriptPubKey: bob.script },
      { value: coin.value - value - 10_000n, scriptPubKey: alice.script },
    ];
    await refused(
      f.mempool.submit(spend({ inputs: [coin], outputs: outputs(545n) })),
      MempoolReason.DUST,
      true,
    );
    const ok = spend({ inputs: [coin], outputs: outputs(546n) });
    assert.equal((await f.mempool.submit(ok)).status, "accepted");
  });

  it("OP_RETURN: 80 data bytes relayed, 81 not, two outputs multi-op-return, none when disabled", async () => {
    const f = createFixture();
    const change = (coin: { value: bigint }) => ({
      value: coin.value - 10_000n,
      scriptPubKey: alice.script,
    });
    const withData = (i: number, ...data: Uint8Array[]) =>
      spend({
        inputs: [f.coins[i]!],
        outputs: [
          ...data.map((d) => ({ value: 0n, scriptPubKey: nullDataScript(d) })),
          change(f.coins[i]!),
        ],
      });
    await refused(
      f.mempool.submit(withData(0, new Uint8Array(81))),
      MempoolReason.SCRIPTPUBKEY,
      true,
    );
    await refused(
      f.mempool.submit(withData(1, new Uint8Array(10), new Uint8Array(10))),
      MempoolReason.MULTI_OP_RETURN,
      true,
    );
    const none = f.newMempool({ maxDatacarrierBytes: null });
    await refused(none.submit(withData(2, new Uint8Array(1))), MempoolReason.SCRIPTPUBKEY, true);
    assert.equal((await f.mempool.submit(withData(3, new Uint8Array(80)))).status, "accepted");
  });

  it("non-final: a locktime at the next height is not final yet, one below it is", async () => {
    const f = createFixture();
    const next = f.chain.height + 1;
    const locked = spend({ inputs: [f.coins[0]!], locktime: next, sequence: 0xfffffffe });
    await refused(f.mempool.submit(locked), MempoolReason.NON_FINAL, true);
    const final = spend({ inputs: [f.coins[1]!], locktime: next - 1, sequence: 0xfffffffe });
    assert.equal((await f.mempool.submit(final)).status, "accepted");
    const byTime = spend({
      inputs: [f.coins[2]!],
      locktime: f.chain.tip().medianTimePast,
      sequence: 0xfffffffe,
    });
    await refused(f.mempool.submit(byTime), MempoolReason.NON_FINAL, true);
  });

  it("non-BIP68-final: a relative lock on a confirmed coin and on a mempool parent", async () => {
    const f = createFixture();
    const locked = spend({ inputs: [f.coins[0]!], sequence: 5 });
    await refused(f.mempool.submit(locked), MempoolReason.NON_BIP68_FINAL, true);
    const parent = spend({ inputs: [f.coins[1]!] });
    await f.mempool.submit(parent);
    const child = spend({ inputs: [output(parent, 0)], sequence: 1 });
    await refused(f.mempool.submit(child), MempoolReason.NON_BIP68_FINAL, true);
    // Version 1 ignores sequence locks; one block of depth satisfies a lock of 1 block.
    const v1 = spend({ inputs: [f.coins[2]!], sequence: 5, version: 1 });
    assert.equal((await f.mempool.submit(v1)).status, "accepted");
    const oneBlock = spend({ inputs: [f.coins[3]!], sequence: 1 });
    assert.equal((await f.mempool.submit(oneBlock)).status, "accepted");
  });

  it("bad-txns-inputs-missingorspent for a local submission; an orphan from a peer", async () => {
    const f = createFixture();
    const ghost = { txid: "ab".repeat(32), index: 0, value: 1_000_000n, owner: alice };
    const tx = spend({ inputs: [ghost] });
    await refused(f.mempool.submit(tx), MempoolReason.MISSING_INPUTS, true);
    const result = await f.mempool.submit(tx, { peer: "p" });
    assert.deepEqual(result, { status: "orphan", txid: tx.txid(), missingParents: [ghost.txid] });
    assert.ok(f.mempool.hasOrphan(tx.txid()));
  });

  it("txn-already-in-mempool, also for two concurrent submissions", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.coins[0]!] });
    const [first, second] = await Promise.allSettled([f.mempool.submit(tx), f.mempool.submit(tx)]);
    assert.equal(first.status, "fulfilled");
    assert.equal(second.status, "rejected");
    await refused(f.mempool.submit(tx), MempoolReason.ALREADY_IN_MEMPOOL, true);
    assert.equal(f.mempool.count, 1);
  });

  it("txn-already-known for a confirmed transaction", async () => {
    const f = createFixture();
    const tx = spend({ inputs: [f.coins[0]!] });
    f.confirm([tx]);
    await refused(f.mempool.submit(tx, { peer: "p" }), MempoolReason.ALREADY_KNOWN, true);
    assert.equal(f.mempool.orphanCount, 0);
  });

  it("bad-txns-nonstandard-inputs: an OP_TRUE coin, a P2SH redeem script over 15 sigops", async () => {
    const f = createFixture();
    const anyone = new Transaction({
      version: 2,
      inputs: [
        {
          prevTxid: f.opTrueCoinbase.txid,
          prevIndex: 0,
          scriptSig: new Uint8Array(0),
          sequence: 0xffffffff,
        },
      ],
      outputs: payments(alice, 1, f.opTrueCoinbase.value - 10_000n),
      locktime: 0,
    });
    await refused(f.mempool.submit(anyone), MempoolReason.NONSTANDARD_INPUTS, true);

    const redeem = buildScript(...Array.from({ length: 16 }, () => Op.OP_CHECKSIG), Op.OP_1);
    const fund = spend({
      inputs: [f.coins[0]!],
      outputs: [{ value: 1_000_000n, scriptPubKey: p2shScript(hash160(redeem)) }],
    });
    f.confirm([fund]);
    const p2sh = new Transaction({
      version: 2,
      inputs: [
        { prevTxid: fund.txid(), prevIndex: 0, scriptSig: pushData(redeem), sequence: 0xffffffff },
      ],
      outputs: payments(alice, 1, 990_000n),
      locktime: 0,
    });
    await refused(f.mempool.submit(p2sh), MempoolReason.NONSTANDARD_INPUTS, true);
  });

  it("bad-txns-too-many-sigops above 8,000 (a fifth of the block limit)", async () => {
    const f = createFixture();
    const oneOfOne = multisigScript(1, [alice.publicKey]);
    const outputs = (n: number) =>
      Array.from({ length: n }, () => ({ value: 600n, scriptPubKey: oneOfOne }));
    // Each bare CHECKMULTISIG output counts 20 legacy sigops.
    const over = spend({ inputs: [f.coins[0]!], outputs: outputs(401) });
    await refused(f.mempool.submit(over), MempoolReason.TOO_MANY_SIGOPS, true);
    const under = spend({ inputs: [f.coins[1]!], outputs: outputs(399) });
    assert.equal((await f.mempool.submit(under)).status, "accepted");
    assert.equal(f.mempool.getEntry(under.txid())!.sigops, 399 * 20);
  });

  it("min relay fee not met: one base unit per byte passes, one less does not", async () => {
    const f = createFixture();
    const atFee = (i: number, fee: (size: number) => bigint) => {
      let tx = spend({ inputs: [f.coins[i]!], fee: 0n });
      for (let round = 0; round < 4; round++) {
        const next = spend({ inputs: [f.coins[i]!], fee: fee(tx.size()) });
        if (next.size() === tx.size()) return next;
        tx = next;
      }
      throw new Error("size did not settle");
    };
    await refused(f.mempool.submit(atFee(0, () => 0n)), MempoolReason.MIN_RELAY_FEE, true);
    const below = atFee(1, (size) => BigInt(size - 1));
    await refused(f.mempool.submit(below), MempoolReason.MIN_RELAY_FEE, true);
    const exact = atFee(2, (size) => BigInt(size));
    assert.equal((await f.mempool.submit(exact)).status, "accepted");
    const cheaper = f.newMempool({ minRelayFeeRate: 500n });
    assert.equal((await cheaper.submit(below)).status, "accepted");
  });

  it("non-mandatory-script-verify-flag for a non-minimal push (policy, score 0)", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const unsigned = spend({ inputs: [coin] });
    const signature = signInput(unsigned, 0, alice.privateKey, alice.script);
    const nonMinimal = buildScript(
      pushData(signature),
      Op.OP_PUSHDATA1,
      Uint8Array.of(alice.publicKey.length),
      alice.publicKey,
    );
    const tx = spend({ inputs: [coin], scriptSigs: new Map([[0, nonMinimal]]) });
    await refused(f.mempool.submit(tx), "non-mandatory-script-verify-flag (MINIMALDATA)", true);
    // The same spend with a minimal push is fine.
    const minimal = buildScript(pushDataLiteral(signature), pushData(alice.publicKey));
    const ok = spend({ inputs: [coin], scriptSigs: new Map([[0, minimal]]) });
    assert.equal((await f.mempool.submit(ok)).status, "accepted");
  });

  it("too-long-mempool-chain at 26 unconfirmed ancestors", async () => {
    const f = createFixture();
    const chain = spendChain(f.coins[0]!, 26);
    for (const tx of chain.slice(0, 25)) await f.mempool.submit(tx);
    await refused(f.mempool.submit(chain[25]!), MempoolReason.TOO_LONG_MEMPOOL_CHAIN, true);
    assert.equal(f.mempool.getEntry(chain[24]!.txid())!.ancestorcount, 25);
    assert.equal(f.mempool.getEntry(chain[0]!.txid())!.descendantcount, 25);
    f.mempool.check();
  });
});
