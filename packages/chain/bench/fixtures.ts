import { randomBytes } from "node:crypto";
import { Block, BlockHeader, merkleRoot, Transaction } from "../src/index.ts";

/** A block of `count` one-input, two-output transactions shaped like P2PKH spends (random bytes). */
export function syntheticBlock(count: number): Block {
  const transactions: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    transactions.push(
      new Transaction({
        version: 1,
        inputs: [
          {
            prevTxid: randomBytes(32).toString("hex"),
            prevIndex: i % 3,
            scriptSig: randomBytes(106),
            sequence: 0xffffffff,
          },
        ],
        outputs: [
          { value: 5_000_000n, scriptPubKey: randomBytes(25) },
          { value: 4_000_000n, scriptPubKey: randomBytes(25) },
        ],
        locktime: 0,
      }),
    );
  }
  const header = new BlockHeader({
    version: 4,
    prevBlock: randomBytes(32).toString("hex"),
    merkleRoot: merkleRoot(transactions.map((t) => t.txid())),
    time: 1_700_000_000,
    bits: 0x207fffff,
    nonce: 0,
  });
  return new Block(header, transactions);
}
