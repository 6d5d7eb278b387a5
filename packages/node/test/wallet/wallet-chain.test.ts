import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  addressToScript,
  COIN,
  CONSENSUS_SCRIPT_FLAG_NAMES,
  checkTransaction,
  devnet,
  fromHex,
  publicKeyToAddress,
  regtest,
  scriptToAddress,
  type Transaction,
  verifyScript,
} from "@starling/chain";
import {
  amountToCoins,
  createWallet,
  feeAtRate,
  loadWallet,
  mnemonicFromEntropy,
  type Wallet,
  WalletError,
  walletFilePath,
} from "../../src/wallet/index.ts";
import { FakeNode } from "./fake-node.ts";

const dir = mkdtempSync(join(tmpdir(), "starling-wallet-chain-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SUBSIDY = 50n * COIN;
const MATURITY = regtest.coinbaseMaturity;
let counter = 0;

function mnemonic(byte: number): string {
  return mnemonicFromEntropy(new Uint8Array(16).fill(byte));
}

async function newWallet(node: FakeNode, byte: number, follow = true): Promise<Wallet> {
  const path = walletFilePath(join(dir, `d${counter++}`), "default");
  const wallet = await createWallet({
    path,
    network: regtest,
    source: node,
    mnemonic: mnemonic(byte),
  });
  if (follow) node.follow(wallet);
  return wallet;
}

/** A wallet that has mined `blocks` blocks, all mature. */
async function funded(blocks = 2): Promise<{ node: FakeNode; wallet: Wallet }> {
  const node = new FakeNode();
  const wallet = await newWallet(node, 0x11);
  const script = addressToScript(await wallet.getNewAddress(), regtest.prefixes);
  await node.mineMany(blocks, script);
  await node.mineMany(MATURITY);
  return { node, wallet };
}

function code(expected: number): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof WalletError, `expected a WalletError, got ${String(e)}`);
    assert.equal(e.code, expected, e.message);
    return true;
  };
}

/** The coins a transaction spends, from the node's UTXO set before it is mined. */
function spentOutputs(
  node: FakeNode,
  tx: Transaction,
): { value: bigint; scriptPubKey: Uint8Array }[] {
  return tx.inputs.map((input) => {
    const coin = node.utxos.getCoin(input.prevTxid, input.prevIndex);
    assert.ok(
      coin !== undefined,
      `input ${input.prevTxid}:${input.prevIndex} is not in the UTXO set`,
    );
    return coin;
  });
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

describe("wallet against a regtest chain", () => {
  it("mined coins are immature until coinbase maturity, then confirmed", async () => {
    const node = new FakeNode();
    const wallet = await newWallet(node, 0x21);
    const script = addressToScript(await wallet.getNewAddress(), regtest.prefixes);
    await node.mine({ payTo: script });
    assert.deepEqual(wallet.getBalance(), {
      confirmed: 0n,
      unconfirmed: 0n,
      immature: SUBSIDY,
      trusted: 0n,
    });
    assert.equal(wallet.listTransactions()[0]!.category, "immature");
    assert.deepEqual(wallet.listUnspent(), []);

    await node.mineMany(MATURITY - 2);
    assert.equal(
      wallet.getBalance().immature,
      SUBSIDY,
      `still immature at ${MATURITY - 1} confirmations`,
    );
    await node.mine();
    assert.deepEqual(wallet.getBalance(), {
      confirmed: SUBSIDY,
      unconfirmed: 0n,
      immature: 0n,
      trusted: SUBSIDY,
    });

    const [entry] = wallet.listTransactions();
    assert.equal(entry!.category, "generate");
    assert.equal(entry!.amount, 50);
    assert.equal(entry!.confirmations, MATURITY);
    assert.equal(entry!.generated, true);
    assert.equal(entry!.blockheight, 1);
    assert.equal(entry!.blockhash, node.entries[1]!.block.hash());

    const unspent = wallet.listUnspent();
    assert.equal(unspent.length, 1);
    assert.deepEqual(unspent[0], {
      txid: node.entries[1]!.block.transactions[0]!.txid(),
      vout: 0,
      address: scriptToAddress(script, regtest.prefixes),
      scriptPubKey: Buffer.from(script).toString("hex"),
      amount: 50,
      confirmations: MATURITY,
      spendable: true,
      solvable: true,
      safe: true,
    });
  });

  it("sendToAddress: valid under consensus flags, right amount, change back, fee ≈ rate × size", async () => {
    const { node, wallet } = await funded(3);
    const receiver = await newWallet(node, 0x22);
    const to = await receiver.getNewAddress();
    const amount = 62n * COIN + 12_345n; // needs two coinbases: change comes back
    node.feeEstimate = 2_500n;
    const before = wallet.getBalance();

    const txid = await wallet.sendToAddress(to, amount);
    const tx = node.broadcasts.at(-1)!;
    assert.equal(tx.txid(), txid);
    checkTransaction(tx);
    const spent = spentOutputs(node, tx);
    tx.inputs.forEach((input, i) => {
      assert.ok(
        verifyScript(input.scriptSig, spent[i]!.scriptPubKey, tx, i, [
          ...CONSENSUS_SCRIPT_FLAG_NAMES,
        ]),
        `input ${i} verifies`,
      );
    });
    assert.equal(tx.locktime, node.tipHeight(), "anti-fee-sniping locktime");

    const toScript = addressToScript(to, regtest.prefixes);
    const paid = tx.outputs.filter((o) =>
      Buffer.from(o.scriptPubKey).equals(Buffer.from(toScript)),
    );
    assert.deepEqual(
      paid.map((o) => o.value),
      [amount],
    );
    const change = tx.outputs.filter((o) => o !== paid[0]);
    assert.equal(change.length, 1);
    const changeInfo = wallet.getAddressInfo(
      scriptToAddress(change[0]!.scriptPubKey, regtest.prefixes)!,
    );
    assert.equal(changeInfo.ismine, true);
    assert.equal(changeInfo.ischange, true);
    assert.equal(changeInfo.hdkeypath, "m/44'/1'/0'/1/0");

    const fee = sum(spent.map((c) => c.value)) - sum(tx.outputs.map((o) => o.value));
    const size = tx.toBytes().length;
    assert.ok(fee >= feeAtRate(2_500n, size), `fee ${fee} below 2500/kB × ${size}`);
    // The estimate assumes 72-byte signatures: at most one byte per input over.
    assert.ok(
      fee <= feeAtRate(2_500n, size + tx.inputs.length),
      `fee ${fee} too high for ${size} bytes`,
    );

    assert.deepEqual(wallet.getBalance(), {
      confirmed: before.confirmed - sum(spent.map((c) => c.value)),
      unconfirmed: change[0]!.value,
      immature: 0n,
      trusted: before.trusted - amount - fee,
    });
    assert.deepEqual(receiver.getBalance(), {
      confirmed: 0n,
      unconfirmed: amount,
      immature: 0n,
      trusted: 0n,
    });
    const sent = wallet.listTransactions().at(-1)!;
    assert.equal(sent.category, "send");
    assert.equal(sent.amount, -amountToCoins(amount));
    assert.equal(sent.fee, -amountToCoins(fee));
    assert.equal(sent.confirmations, 0);
    assert.equal(sent.trusted, true);

    await node.mine();
    assert.deepEqual(receiver.getBalance(), {
      confirmed: amount,
      unconfirmed: 0n,
      immature: 0n,
      trusted: amount,
    });
    assert.equal(wallet.getBalance().confirmed, before.confirmed - amount - fee);
    const received = receiver.listTransactions().at(-1)!;
    assert.deepEqual(
      {
        category: received.category,
        amount: received.amount,
        address: received.address,
        confirmations: received.confirmations,
      },
      { category: "receive", amount: amountToCoins(amount), address: to, confirmations: 1 },
    );
  });

  it("coins spent by the wallet's unconfirmed transactions are not chosen again", async () => {
    const { node, wallet } = await funded(3);
    const receiver = await newWallet(node, 0x23);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      await wallet.sendToAddress(await receiver.getNewAddress(), 10n * COIN);
      for (const input of node.broadcasts.at(-1)!.inputs) {
        const key = `${input.prevTxid}:${input.prevIndex}`;
        assert.ok(!seen.has(key), `send ${i} reuses ${key}`);
        seen.add(key);
      }
    }
    assert.equal(node.mempool.size, 4, "the mempool (which refuses conflicts) took all four");
    assert.equal(receiver.getBalance().unconfirmed, 40n * COIN);
    await node.mine();
    assert.equal(receiver.getBalance().confirmed, 40n * COIN);
  });

  it("typed errors: -6 insufficient funds, -5 invalid address, -3 invalid amount, -8 duplicates", async () => {
    const { node, wallet } = await funded(1);
    const mine = await wallet.getNewAddress();
    await assert.rejects(wallet.sendToAddress(mine, 51n * COIN), (e: unknown) => {
      code(-6)(e);
      assert.equal((e as Error).message, "Insufficient funds");
      return true;
    });
    await assert.rejects(wallet.sendToAddress(mine, SUBSIDY), code(-6), "no room for the fee");
    const devnetAddress = publicKeyToAddress(fromHex(`02${"11".repeat(32)}`), devnet.prefixes);
    await assert.rejects(wallet.sendToAddress(devnetAddress, COIN), code(-5));
    await assert.rejects(
      wallet.sendToAddress("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", COIN),
      code(-5),
    );
    await assert.rejects(wallet.sendToAddress(mine, 0n), code(-3));
    await assert.rejects(wallet.sendToAddress(mine, -5n), code(-3));
    await assert.rejects(wallet.sendToAddress(mine, 21_000_001n * COIN), code(-3));
    await assert.rejects(wallet.sendToAddress(mine, 100n), code(-6), "dust");
    await assert.rejects(
      wallet.send([
        { address: mine, amount: COIN },
        { address: mine, amount: COIN },
      ]),
      code(-8),
    );
    await assert.rejects(wallet.sendToAddress(mine, COIN, { feeRate: 10n }), code(-6));
    assert.equal(node.broadcasts.length, 0);
  });

  it("subtractFeeFromAmount sends everything with no change", async () => {
    const { node, wallet } = await funded(2);
    const receiver = await newWallet(node, 0x24);
    await wallet.sendToAddress(await receiver.getNewAddress(), 2n * SUBSIDY, {
      subtractFeeFromAmount: true,
      feeRate: 1_000n,
    });
    const tx = node.broadcasts.at(-1)!;
    assert.equal(tx.outputs.length, 1);
    const fee = 2n * SUBSIDY - tx.outputs[0]!.value;
    assert.ok(fee >= feeAtRate(1_000n, tx.toBytes().length));
    assert.equal(wallet.getBalance().trusted, 0n);
    assert.equal(receiver.getBalance().unconfirmed, 2n * SUBSIDY - fee);
  });

  it("change below the dust threshold goes to the fee", async () => {
    const { node, wallet } = await funded(1);
    const receiver = await newWallet(node, 0x25);
    // One input, one output, no change: 192 bytes at most; leave 300 base units more than that fee.
    const amount = SUBSIDY - feeAtRate(1_000n, 10 + 148 + 34) - 300n;
    await wallet.sendToAddress(await receiver.getNewAddress(), amount, { feeRate: 1_000n });
    const tx = node.broadcasts.at(-1)!;
    assert.equal(tx.outputs.length, 1);
    assert.equal(tx.outputs[0]!.value, amount);
    assert.equal(wallet.getBalance().trusted, 0n);
  });

  it("a reorganisation undoes received coins; a dropped transaction frees its inputs", async () => {
    const { node, wallet } = await funded(1);
    const receiver = await newWallet(node, 0x26);
    // A coinbase to the wallet, then disconnected: gone.
    const script = addressToScript(await wallet.getNewAddress(), regtest.prefixes);
    await node.mine({ payTo: script });
    assert.equal(wallet.getBalance().immature, SUBSIDY);
    await node.disconnectTip();
    assert.equal(wallet.getBalance().immature, 0n);
    assert.ok(wallet.listTransactions().every((e) => e.category !== "immature"));

    // A payment mined then disconnected: back to unconfirmed, then dropped by the mempool.
    const before = wallet.getBalance();
    const txid = await wallet.sendToAddress(await receiver.getNewAddress(), 5n * COIN);
    await node.mine();
    assert.equal(receiver.getBalance().confirmed, 5n * COIN);
    await node.disconnectTip();
    assert.deepEqual(receiver.getBalance(), {
      confirmed: 0n,
      unconfirmed: 5n * COIN,
      immature: 0n,
      trusted: 0n,
    });
    node.mempool.delete(txid);
    await receiver.txRemoved(txid);
    await wallet.txRemoved(txid);
    assert.deepEqual(receiver.getBalance(), {
      confirmed: 0n,
      unconfirmed: 0n,
      immature: 0n,
      trusted: 0n,
    });
    assert.deepEqual(wallet.getBalance(), before, "the sender's coins are spendable again");
    assert.equal(
      wallet.listTransactions().find((e) => e.txid === txid),
      undefined,
    );
    await wallet.sendToAddress(await receiver.getNewAddress(), 5n * COIN);
  });

  it("a block's spend replaces a conflicting unconfirmed one", async () => {
    const { node, wallet } = await funded(1);
    const receiver = await newWallet(node, 0x27);
    await wallet.flush();
    // A copy of the wallet that will not see the first spend builds a double spend of the coin.
    const twin = await loadWallet({ path: wallet.path, network: regtest, source: node });
    const first = await wallet.createTransaction([
      { address: await receiver.getNewAddress(), amount: COIN },
    ]);
    await wallet.txAdded(first.tx);
    assert.equal(wallet.getBalance().confirmed, 0n);
    const second = await twin.createTransaction([
      { address: await receiver.getNewAddress(), amount: 2n * COIN },
    ]);
    await twin.close();
    assert.equal(second.tx.inputs[0]!.prevTxid, first.tx.inputs[0]!.prevTxid);

    await node.mine({ txs: [second.tx] });
    assert.equal(
      wallet.listTransactions().find((e) => e.txid === first.txid),
      undefined,
    );
    assert.deepEqual(wallet.getBalance(), {
      confirmed: SUBSIDY - 2n * COIN - second.fee,
      unconfirmed: 0n,
      immature: 0n,
      trusted: SUBSIDY - 2n * COIN - second.fee,
    });
    assert.equal(receiver.getBalance().confirmed, 2n * COIN);
  });
});
