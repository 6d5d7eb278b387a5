import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Transaction } from "@starling/chain";
import fc from "fast-check";
import type { BlockCandidate } from "../src/index.ts";
import { createFixture, type Fixture, output, spend } from "./helpers/fixture.ts";

/**
 * Random sequences of submissions (in any order, from several peers, with double spends),
 * prioritisations, mined blocks (taken from the block candidates) and reorganisations, under a
 * tight size limit: after every step the pool's bookkeeping is exact, everything in it is valid
 * together (a block of all of it connects), nothing in it is confirmed, and the limits hold.
 */

interface Universe {
  readonly f: Fixture;
  readonly txs: Transaction[];
}

/** Per coin: two conflicting spends with different fees, a child and a grandchild of each. */
function universe(): Universe {
  const f = createFixture({ coins: 6, init: { maxUsage: 7 * 3_400 } });
  const txs: Transaction[] = [];
  f.coins.forEach((coin, i) => {
    for (const fee of [BigInt(2_000 + 1_000 * i), BigInt(30_000 + 1_000 * i)]) {
      const tx = spend({ inputs: [coin], fee });
      const child = spend({ inputs: [output(tx, 0)], fee: fee / 2n + 1_000n });
      const grandchild = spend({ inputs: [output(child, 0)], fee: 5_000n });
      txs.push(tx, child, grandchild);
    }
  });
  return { f, txs };
}

function assemble(candidates: readonly BlockCandidate[], limit: number): Transaction[] {
  const byTxid = new Map(candidates.map((c) => [c.txid, c]));
  const included = new Set<string>();
  const out: Transaction[] = [];
  const include = (c: BlockCandidate): void => {
    if (included.has(c.txid)) return;
    for (const p of c.parents) include(byTxid.get(p)!);
    included.add(c.txid);
    out.push(c.tx);
  };
  for (const c of candidates) {
    if (included.size >= limit) break;
    include(c);
  }
  return out;
}

const action = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("burst" as const),
      txs: fc.array(fc.nat(35), { minLength: 2, maxLength: 12 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("submit" as const), tx: fc.nat(35), peer: fc.nat(3) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("mine" as const), count: fc.nat(6) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reorg" as const),
      depth: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("prioritise" as const),
      tx: fc.nat(35),
      delta: fc.integer({ min: -5_000, max: 50_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.nat(3 * 3600) }),
  },
);

async function checkInvariants(u: Universe, confirmed: ReadonlySet<string>): Promise<void> {
  const { f } = u;
  await f.mempool.idle();
  f.mempool.check();
  assert.ok(f.mempool.usage <= f.mempool.options.maxUsage);
  const ids = f.mempool.txids();
  for (const txid of ids) assert.ok(!confirmed.has(txid), "a confirmed transaction stayed");
  // Everything in the pool is valid together: a block of all of it connects.
  const all = assemble(f.mempool.getBlockCandidates(), Number.POSITIVE_INFINITY);
  assert.equal(all.length, ids.length);
  const fees = f.mempool.getBlockCandidates().reduce((sum, c) => sum + c.fee, 0n);
  const block = f.chain.mine(all, { fees });
  f.chain.connect(block);
  f.chain.disconnect();
}

describe("mempool under random operations (property)", () => {
  it("keeps exact bookkeeping and a valid content", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 40 }), async (actions) => {
        const u = universe();
        const { f, txs } = u;
        const baseHeight = f.chain.height;
        const confirmed = new Set<string>();
        const blocks: string[][] = [];
        for (const a of actions) {
          switch (a.kind) {
            case "submit":
              await f.mempool.submit(txs[a.tx]!, { peer: `peer-${a.peer}` }).catch(() => undefined);
              break;
            case "burst":
              await Promise.allSettled(
                a.txs.map((i, k) => f.mempool.submit(txs[i]!, { peer: `peer-${k % 3}` })),
              );
              break;
            case "prioritise":
              f.mempool.prioritise(txs[a.tx]!.txid(), BigInt(a.delta));
              break;
            case "wait":
              f.clock.now += a.seconds;
              break;
            case "mine": {
              const chosen = assemble(f.mempool.getBlockCandidates(), a.count);
              f.confirm(chosen);
              blocks.push(chosen.map((tx) => tx.txid()));
              for (const tx of chosen) confirmed.add(tx.txid());
              break;
            }
            case "reorg": {
              const depth = Math.min(a.depth, f.chain.height - baseHeight);
              for (let i = 0; i < depth; i++) {
                const { block, height } = f.chain.disconnect();
                f.mempool.blockDisconnected(block, height);
                for (const txid of blocks.pop() ?? []) confirmed.delete(txid);
              }
              if (depth > 0) {
                f.confirm([]);
                blocks.push([]);
                await f.mempool.updateForReorg();
              }
              break;
            }
          }
          await checkInvariants(u, confirmed);
        }
      }),
      { numRuns: 25 },
    );
  });
});
