/**
 * Crash safety of the chain state machine on RocksDB: a child process (the same node binary) runs
 * `ChainState` over `KvChainStateStore` and processes a schedule of blocks with reorganisations
 * every few blocks; it is killed with SIGKILL at random moments, 32 times, alternating atomic and
 * split commits and varying the flush interval. After every kill the store is reopened (replaying a
 * torn commit if one was interrupted): every block the child acknowledged is stored, and the UTXO
 * set on disk equals the one recomputed along the chain of the stored tip. At the end the child
 * runs to completion and the final state is checked against the whole schedule, with verify.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Block, ChainState, regtest, toHex } from "@starling/chain";
import { modelCommitment, storedCommitment } from "@starling/chain/testing";
import { KvChainStateStore, RocksDbStore } from "../../src/index.ts";
import { crashSchedule } from "../fixtures/chainstate-crash-chain.ts";
import { withTempDir } from "../helpers.ts";

const CHILD = fileURLToPath(new URL("../fixtures/chainstate-crash-child.ts", import.meta.url));
const KILLS = 32;
const NETWORK = { network: "regtest", genesisHash: regtest.genesisHash };

interface Run {
  acks: string[];
  opened: boolean;
  delayMs: number;
}

function runChild(
  path: string,
  blocksFile: string,
  mode: string,
  flushEvery: number,
  killAfterMs: number | undefined,
): Promise<Run & { code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const args = [CHILD, path, blocksFile, mode, String(flushEvery)];
  if (killAfterMs === undefined) args.push("finish");
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_COMPILE_CACHE: `${path}-compile-cache` },
  });
  let out = "";
  let err = "";
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (killAfterMs !== undefined && timer === undefined && out.startsWith("ready\n")) {
      timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    }
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        out: out + err,
        acks: [...out.matchAll(/^ack ([0-9a-f]{64})$/gm)].map((m) => m[1]!),
        opened: /^opened /m.test(out),
        delayMs: killAfterMs ?? 0,
      });
    });
  });
}

/** The chain from height 1 to `tip`, following parents through the schedule's blocks. */
function chainTo(tip: string, byHash: Map<string, Block>): Block[] {
  const chain: Block[] = [];
  for (let hash = tip; hash !== regtest.genesisHash; ) {
    const block = byHash.get(hash);
    assert.ok(block, `tip ${tip} descends from a block outside the schedule`);
    chain.push(block);
    hash = block.header.prevBlock;
  }
  return chain.reverse();
}

describe("chainstate crash safety under SIGKILL", { timeout: 240_000 }, () => {
  it(`${KILLS} kills at random moments, then a full run: nothing acknowledged is lost`, async (t) => {
    const schedule = crashSchedule(150, 300);
    const byHash = new Map(schedule.delivery.map((b) => [b.hash(), b]));
    await withTempDir(async (dir) => {
      const path = join(dir, "chainstate");
      const blocksFile = join(dir, "blocks.txt");
      await writeFile(blocksFile, schedule.delivery.map((b) => toHex(b.toBytes())).join("\n"));
      const acked = new Set<string>();
      let repairs = 0;
      let maxTip = 0;
      for (let run = 0; run < KILLS; run++) {
        const mode = run % 2 === 0 ? "atomic" : "chunked";
        const flushEvery = 1 + ((run * 5) % 11);
        const delay = Math.floor(Math.random() * 500);
        const result = await runChild(path, blocksFile, mode, flushEvery, delay);
        const context = `run ${run} (${mode}, flush every ${flushEvery}, killed after ${delay} ms)`;
        assert.equal(
          result.signal,
          "SIGKILL",
          `${context}: the child ended on its own:\n${result.out}`,
        );
        for (const hash of result.acks) acked.add(hash);

        // Restart: open the store (a torn split commit is replayed here) and check it.
        const store = await KvChainStateStore.open(await RocksDbStore.open(path), NETWORK);
        try {
          if (store.repaired !== undefined) repairs++;
          for (const hash of acked) {
            assert.ok(
              await store.chainStore.hasBlock(hash),
              `${context}: acknowledged ${hash} lost`,
            );
          }
          const tip = store.chainStore.tip;
          if (tip === undefined) {
            // Killed before the first chainstate flush: the acknowledged blocks are stored (checked
            // above) and opening the chain state must reconnect them into a consistent UTXO set.
            const recovered = await ChainState.open({ params: regtest, store });
            for (const hash of acked) {
              assert.ok(recovered.hasBlock(hash), `${context}: acknowledged ${hash} not recovered`);
            }
            await recovered.flush();
            assert.deepEqual(
              await storedCommitment(store),
              modelCommitment(chainTo(recovered.tip.hash, byHash)),
              `${context}: UTXO set after reconnecting the stored blocks`,
            );
            continue;
          }
          const chain = chainTo(tip.hash, byHash);
          assert.equal(chain.length, tip.height, context);
          assert.deepEqual(
            await storedCommitment(store),
            modelCommitment(chain),
            `${context}: UTXO set at the stored tip ${tip.height}`,
          );
          maxTip = Math.max(maxTip, tip.height);
        } finally {
          await store.close();
        }
      }

      const final = await runChild(path, blocksFile, "atomic", 7, undefined);
      assert.equal(final.code, 0, final.out);
      for (const hash of final.acks) acked.add(hash);
      assert.equal(acked.size, schedule.delivery.length);

      const store = await KvChainStateStore.open(await RocksDbStore.open(path), NETWORK);
      const chain = await ChainState.open({ params: regtest, store });
      try {
        assert.equal(chain.tip.hash, schedule.winning.at(-1)!.hash());
        for (const block of schedule.delivery) assert.ok(chain.hasBlock(block.hash()));
        const report = await chain.verify({ level: "full" });
        assert.deepEqual(report.problems, []);
        assert.deepEqual(report.commitment, modelCommitment(schedule.winning));
      } finally {
        await chain.close();
      }
      t.diagnostic(
        `${KILLS} kills; highest stored tip seen after a kill ${maxTip}; ${repairs} torn commits replayed; ` +
          `final tip ${schedule.winning.length} of ${schedule.delivery.length} blocks delivered`,
      );
    });
  });
});
