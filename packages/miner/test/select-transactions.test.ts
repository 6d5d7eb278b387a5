import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NULL_HASH_HEX, Transaction } from "@starling/chain";
import fc from "fast-check";
import { type BlockCandidate, selectTransactions } from "../src/index.ts";

/**
 * Selection over synthetic candidates: the transactions' bytes do not matter here, only the fees,
 * sizes, sigops and parent links the mempool reports.
 */

interface Spec {
  readonly id: string;
  readonly fee: bigint;
  readonly size: number;
  readonly sigops?: number;
  readonly parents?: readonly string[];
  readonly locktime?: number;
}

function txFor(id: string, locktime: number): Transaction {
  return new Transaction({
    version: 2,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: 0,
        scriptSig: new TextEncoder().encode(id),
        sequence: 0,
      },
    ],
    outputs: [],
    locktime,
  });
}

/** Candidates with ancestor totals, sorted by ancestor fee rate as the mempool offers them. */
function candidates(specs: readonly Spec[]): BlockCandidate[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const p of byId.get(id)?.parents ?? []) {
      if (!seen.has(p) && byId.has(p)) {
        seen.add(p);
        ancestors(p, seen);
      }
    }
    return seen;
  };
  return specs
    .map((s): BlockCandidate => {
      let ancestorFee = s.fee;
      let ancestorSize = s.size;
      for (const a of ancestors(s.id)) {
        ancestorFee += byId.get(a)!.fee;
        ancestorSize += byId.get(a)!.size;
      }
      return {
        tx: txFor(s.id, s.locktime ?? 0),
        txid: s.id,
        fee: s.fee,
        size: s.size,
        sigops: s.sigops ?? 1,
        ancestorFee,
        ancestorSize,
        parents: s.parents ?? [],
      };
    })
    .sort((a, b) => {
      const l = a.ancestorFee * BigInt(b.ancestorSize);
      const r = b.ancestorFee * BigInt(a.ancestorSize);
      return l > r ? -1 : l < r ? 1 : a.txid < b.txid ? -1 : 1;
    });
}

const ids = (selection: { transactions: readonly BlockCandidate[] }): string[] =>
  selection.transactions.map((t) => t.txid);

const roomy = { maxSize: 1_000_000, maxSigops: 10_000 };

describe("selectTransactions", () => {
  it("lets a child pay for its parent, the parent first", () => {
    const specs: Spec[] = [
      { id: "parent", fee: 100n, size: 200 }, // 0.5 per byte alone
      { id: "child", fee: 5_000n, size: 200, parents: ["parent"] }, // package 12.75 per byte
      { id: "other", fee: 2_000n, size: 200 }, // 10 per byte
    ];
    assert.deepEqual(ids(selectTransactions(candidates(specs), roomy)), [
      "parent",
      "child",
      "other",
    ]);
    // Room for two: the parent+child package beats the lone transaction with the better own rate.
    assert.deepEqual(ids(selectTransactions(candidates(specs), { ...roomy, maxSize: 400 })), [
      "parent",
      "child",
    ]);
  });

  it("rescores a descendant once its ancestors are in (modified entries)", () => {
    // a is taken with its best child c1; c2 then competes with its own fee rate only.
    const specs: Spec[] = [
      { id: "a", fee: 1_000n, size: 100 },
      { id: "c1", fee: 9_000n, size: 100, parents: ["a"] },
      { id: "c2", fee: 3_000n, size: 100, parents: ["a"] }, // alone: 30/byte, with a: 20/byte
      { id: "x", fee: 2_500n, size: 100 }, // 25/byte
    ];
    assert.deepEqual(ids(selectTransactions(candidates(specs), roomy)), ["a", "c1", "c2", "x"]);
  });

  it("skips packages that would exceed the size limit and keeps filling", () => {
    const specs: Spec[] = [
      { id: "big", fee: 100_000n, size: 900 },
      { id: "small1", fee: 1_000n, size: 100 },
      { id: "small2", fee: 900n, size: 100 },
    ];
    const selection = selectTransactions(candidates(specs), { ...roomy, maxSize: 950 });
    assert.deepEqual(ids(selection), ["big"]);
    const tight = selectTransactions(candidates(specs), { ...roomy, maxSize: 250 });
    assert.deepEqual(ids(tight), ["small1", "small2"]);
    assert.equal(tight.size, 200);
    assert.equal(tight.fees, 1_900n);
  });

  it("skips packages that would exceed the sigop limit", () => {
    const specs: Spec[] = [
      { id: "heavy", fee: 10_000n, size: 100, sigops: 30 },
      { id: "light", fee: 1_000n, size: 100, sigops: 2 },
    ];
    const selection = selectTransactions(candidates(specs), { ...roomy, maxSigops: 20 });
    assert.deepEqual(ids(selection), ["light"]);
    assert.equal(selection.sigops, 2);
  });

  it("leaves out a transaction whose parent the mempool did not offer, and its descendants", () => {
    const specs: Spec[] = [
      { id: "orphan", fee: 10_000n, size: 100, parents: ["missing"] },
      { id: "grandchild", fee: 10_000n, size: 100, parents: ["orphan"] },
      { id: "fine", fee: 10n, size: 100 },
    ];
    // The candidates claim a parent that is absent (as after a trimmed mempool snapshot).
    const list = candidates(specs);
    assert.deepEqual(ids(selectTransactions(list, roomy)), ["fine"]);
  });

  it("leaves out non-final transactions and what depends on them", () => {
    const specs: Spec[] = [
      { id: "locked", fee: 10_000n, size: 100, locktime: 500 },
      { id: "child", fee: 10_000n, size: 100, parents: ["locked"] },
      { id: "free", fee: 10n, size: 100 },
    ];
    const selection = selectTransactions(candidates(specs), {
      ...roomy,
      isFinal: (tx) => tx.locktime === 0,
    });
    assert.deepEqual(ids(selection), ["free"]);
  });

  it("on random mempools: parents first, whole ancestries, limits held, best package first", () => {
    const mempool = fc
      .array(
        fc.record({
          fee: fc.bigInt({ min: 0n, max: 100_000n }),
          size: fc.integer({ min: 60, max: 2_000 }),
          sigops: fc.integer({ min: 0, max: 20 }),
          parentPicks: fc.array(fc.nat(), { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 40 },
      )
      .map((raw) =>
        raw.map(
          (r, i): Spec => ({
            id: `t${String(i).padStart(3, "0")}`,
            fee: r.fee,
            size: r.size,
            sigops: r.sigops,
            // Parents among earlier entries only: a DAG, as spends are.
            parents:
              i === 0
                ? []
                : [...new Set(r.parentPicks.map((p) => `t${String(p % i).padStart(3, "0")}`))],
          }),
        ),
      );
    const limits = fc.record({
      maxSize: fc.integer({ min: 0, max: 30_000 }),
      maxSigops: fc.integer({ min: 0, max: 200 }),
    });
    fc.assert(
      fc.property(mempool, limits, (specs, lim) => {
        const list = candidates(specs);
        const selection = selectTransactions(list, lim);
        const byId = new Map(specs.map((s) => [s.id, s]));
        const position = new Map(ids(selection).map((id, i) => [id, i]));
        assert.equal(position.size, selection.transactions.length, "no duplicates");
        let size = 0;
        let sigops = 0;
        let fees = 0n;
        for (const t of selection.transactions) {
          for (const p of byId.get(t.txid)!.parents ?? []) {
            assert.ok(position.has(p), `${t.txid} selected without its parent ${p}`);
            assert.ok(position.get(p)! < position.get(t.txid)!, `${p} must precede ${t.txid}`);
          }
          size += t.size;
          sigops += t.sigops;
          fees += t.fee;
        }
        assert.ok(size <= lim.maxSize && sigops <= lim.maxSigops);
        assert.deepEqual([selection.size, selection.sigops, selection.fees], [size, sigops, fees]);
        // The first package taken is the best candidate that fits on its own.
        const fitting = list.filter((c) => c.ancestorSize <= lim.maxSize);
        if (selection.transactions.length > 0 && fitting.length > 0) {
          const ancestrySigops = (id: string, seen = new Set<string>()): number => {
            let n = 0;
            for (const p of byId.get(id)!.parents ?? []) {
              if (!seen.has(p)) {
                seen.add(p);
                n += byId.get(p)!.sigops! + ancestrySigops(p, seen);
              }
            }
            return n;
          };
          const best = fitting.find((c) => c.sigops + ancestrySigops(c.txid) <= lim.maxSigops);
          if (best !== undefined) {
            const firstPackageEnd = ids(selection).indexOf(best.txid);
            assert.ok(firstPackageEnd >= 0, `the best package ${best.txid} was not taken`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
