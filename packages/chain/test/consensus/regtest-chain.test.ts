import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { COIN } from "../../src/consensus/constants.ts";
import { getBlockSubsidy } from "../../src/consensus/subsidy.ts";
import { hash160 } from "../../src/crypto/hash.ts";
import { concatBytes } from "../../src/encoding/bytes.ts";
import { BlockValidationError } from "../../src/errors.ts";
import { generatePrivateKey, publicKeyFromPrivate } from "../../src/keys/private-key.ts";
import { p2pkhScriptSig, signInput } from "../../src/keys/sign.ts";
import { regtest } from "../../src/params/regtest.ts";
import type { Transaction } from "../../src/primitives/transaction.ts";
import { multisigScript, p2pkhScript, p2shScript, pushData } from "../../src/script/builder.ts";
import { Op } from "../../src/script/opcodes.ts";
import { coinbase, spend, TestChain } from "./regtest-chain.ts";

function key(tag: number) {
  const privateKey = generatePrivateKey(new Uint8Array(48).fill(tag));
  const publicKey = publicKeyFromPrivate(privateKey);
  return { privateKey, publicKey, script: p2pkhScript(hash160(publicKey)) };
}

const alice = key(1);
const bob = key(2);
const carol = key(3);

function rejectsBlock(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BlockValidationError, `expected BlockValidationError, got ${error}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** Signs every input of `tx` (all spending P2PKH outputs of `signer`). */
function signP2pkh(tx: Transaction, signer: ReturnType<typeof key>): Transaction {
  const scriptSigs = tx.inputs.map((_, i) =>
    p2pkhScriptSig(signInput(tx, i, signer.privateKey, signer.script), signer.publicKey),
  );
  return spend({
    inputs: tx.inputs.map((input, i) => ({
      txid: input.prevTxid,
      index: input.prevIndex,
      scriptSig: scriptSigs[i]!,
      sequence: input.sequence,
    })),
    outputs: tx.outputs,
    version: tx.version,
    locktime: tx.locktime,
  });
}

describe("a regtest chain validated end to end", () => {
  const chain = new TestChain(regtest);
  /** Coinbases paying alice, by height. */
  const aliceCoinbases = new Map<number, Transaction>();

  before(() => {
    for (let height = 1; height <= 100; height++) {
      const cb = coinbase({
        height,
        outputs: [{ value: getBlockSubsidy(height, regtest), scriptPubKey: alice.script }],
      });
      chain.connect(chain.mine([], { coinbase: cb }));
      aliceCoinbases.set(height, cb);
    }
  });

  it("connects 100 mined blocks and holds their coinbases as coins", () => {
    assert.equal(chain.height, 100);
    const coin = chain.utxos.getCoin(aliceCoinbases.get(1)!.txid(), 0);
    assert.deepEqual(coin, {
      value: 50n * COIN,
      scriptPubKey: alice.script,
      height: 1,
      isCoinbase: true,
    });
  });

  it("never lets the genesis coinbase be spent", () => {
    const genesisCoinbase = regtest.genesis.transactions[0]!;
    assert.equal(chain.utxos.getCoin(genesisCoinbase.txid(), 0), undefined);
    const tx = spend({
      inputs: [{ txid: genesisCoinbase.txid(), index: 0 }],
      outputs: [{ value: 1n }],
    });
    rejectsBlock(() => chain.connect(chain.mine([tx])), "bad-txns-inputs-missingorspent");
  });

  it("refuses a coinbase spend one block too early", () => {
    // In block 101, the coinbase of block 2 is only 99 deep.
    const early = signP2pkh(
      spend({
        inputs: [{ txid: aliceCoinbases.get(2)!.txid(), index: 0 }],
        outputs: [{ value: COIN, scriptPubKey: bob.script }],
      }),
      alice,
    );
    rejectsBlock(() => chain.connect(chain.mine([early])), "bad-txns-premature-spend-of-coinbase");
    assert.equal(chain.height, 100);
  });

  it("refuses a signature by the wrong key, and leaves the tip alone", () => {
    const forged = signP2pkh(
      spend({
        inputs: [{ txid: aliceCoinbases.get(1)!.txid(), index: 0 }],
        outputs: [{ value: COIN, scriptPubKey: bob.script }],
      }),
      { ...bob, script: alice.script },
    );
    rejectsBlock(() => chain.connect(chain.mine([forged])), "blk-bad-inputs");
    assert.equal(chain.height, 100);
  });

  it("accepts real P2PKH and P2SH multisig spends with fees paid to the coinbase", () => {
    const redeem = multisigScript(1, [bob.publicKey, carol.publicKey]);
    const pay = signP2pkh(
      spend({
        inputs: [{ txid: aliceCoinbases.get(1)!.txid(), index: 0 }],
        outputs: [
          { value: 20n * COIN, scriptPubKey: bob.script },
          { value: 29n * COIN, scriptPubKey: p2shScript(hash160(redeem)) },
        ],
      }),
      alice,
    );
    const fee1 = 1n * COIN;
    // Spend the P2SH output in the same block, signed by carol.
    const unsigned = spend({
      inputs: [{ txid: pay.txid(), index: 1 }],
      outputs: [{ value: 28n * COIN, scriptPubKey: carol.script }],
    });
    const signature = signInput(unsigned, 0, carol.privateKey, redeem);
    const multisigSpend = spend({
      inputs: [
        {
          txid: pay.txid(),
          index: 1,
          scriptSig: concatBytes(Uint8Array.of(Op.OP_0), pushData(signature), pushData(redeem)),
        },
      ],
      outputs: unsigned.outputs,
    });
    const fee2 = 1n * COIN;
    const height = chain.height + 1;
    const cb = coinbase({ height, value: getBlockSubsidy(height, regtest) + fee1 + fee2 });
    const result = chain.connect(chain.mine([pay, multisigSpend], { coinbase: cb }));
    assert.equal(result.fees, fee1 + fee2);
    // Legacy: one CHECKSIG in each P2PKH output (bob's, carol's); P2SH: the 1-of-2 redeem script
    // counted accurately as 2.
    assert.equal(result.sigops, 1 + 1 + 2);
    assert.equal(chain.utxos.getCoin(pay.txid(), 1), undefined);
    assert.equal(chain.utxos.getCoin(multisigSpend.txid(), 0)?.value, 28n * COIN);
    assert.equal(chain.utxos.getCoin(aliceCoinbases.get(1)!.txid(), 0), undefined);
  });

  it("refuses a block time at the median-time-past, and a non-final transaction", () => {
    const mtp = chain.medianTimePastAt(chain.height);
    rejectsBlock(() => chain.connect(chain.mine([], { time: mtp })), "time-too-old");
    const locked = signP2pkh(
      spend({
        inputs: [{ txid: aliceCoinbases.get(2)!.txid(), index: 0, sequence: 0 }],
        outputs: [{ value: COIN, scriptPubKey: bob.script }],
        locktime: chain.height + 1,
      }),
      alice,
    );
    rejectsBlock(() => chain.connect(chain.mine([locked])), "bad-txns-nonfinal");
  });

  it("halves the subsidy at height 150", () => {
    chain.extend(149 - chain.height);
    assert.equal(chain.height, 149);
    const greedy = coinbase({ height: 150, value: 50n * COIN });
    rejectsBlock(() => chain.connect(chain.mine([], { coinbase: greedy })), "bad-cb-amount");
    chain.connect(chain.mine([], { coinbase: coinbase({ height: 150, value: 25n * COIN }) }));
    assert.equal(chain.height, 150);
  });
});
