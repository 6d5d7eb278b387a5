/**
 * Crash safety under SIGKILL: a child process commits steps of a known chain in a loop and is
 * killed at random moments; after each kill the store is reopened and checked. Every commit the
 * child acknowledged must be there in full, and the UTXO set must be exactly the one of the stored
 * tip: a partial batch would show as a coin too many or too few. With split commits, a kill inside
 * a flush must leave the torn-state marker, and the state must be a mix of the two tips only.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type ChainPoint,
  ChainStore,
  type Coin,
  RocksDbStore,
  type TornFlush,
} from "../../src/index.ts";
import { expectedCoins, NETWORK, OUTPUTS_PER_STEP, stepHash } from "../fixtures/crash-chain.ts";
import { NODE, withTempDir } from "../helpers.ts";

const WRITER = fileURLToPath(new URL("../fixtures/crash-writer.ts", import.meta.url));

/** Node's compile cache beside the store: the writer's modules load faster from the second run on. */
const childEnv = (path: string): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_COMPILE_CACHE: `${path}-compile-cache`,
});

interface Run {
  lastAck: number;
  delayMs: number;
}

/**
 * Starts the writer and, once its modules are loaded, kills it with SIGKILL after a random delay
 * (so the kill lands in the open, a replay or a commit); returns its last acknowledgement.
 */
async function runAndKill(path: string, mode: string): Promise<Run> {
  const delayMs = Math.floor(Math.random() * 450);
  const child = spawn(NODE, [WRITER, path, mode], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv(path),
  });
  let out = "";
  let err = "";
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (timer === undefined && out.startsWith("opening\n")) {
      timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    }
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const { code, signal } = await exited;
  clearTimeout(timer);
  assert.equal(signal, "SIGKILL", `writer ended on its own (code ${code}): ${err}`);
  const acks = [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
  return { lastAck: acks.length === 0 ? -1 : Math.max(...acks), delayMs };
}

interface Inspection {
  tip: ChainPoint | undefined;
  recovery: TornFlush | undefined;
  coins: Map<string, Coin>;
  undoLength: number | undefined;
  mainChainAtTip: string | undefined;
}

async function inspect(path: string): Promise<Inspection> {
  const chain = await ChainStore.open(await RocksDbStore.open(path), NETWORK);
  try {
    const coins = new Map<string, Coin>();
    for await (const [op, coin] of chain.committedCoins())
      coins.set(`${op.txid}:${op.index}`, coin);
    const tip = chain.tip;
    return {
      tip,
      recovery: chain.recovery,
      coins,
      undoLength: tip && (await chain.getUndo(tip.hash))?.length,
      mainChainAtTip: tip && (await chain.getMainChainHash(tip.height)),
    };
  } finally {
    await chain.close();
  }
}

function assertExactState(state: Inspection, context: string): void {
  assert.ok(state.tip, `${context}: a tip`);
  const h = state.tip.height;
  assert.equal(state.tip.hash, stepHash(h), context);
  assert.equal(state.mainChainAtTip, stepHash(h), context);
  assert.equal(state.undoLength, h === 0 ? 0 : OUTPUTS_PER_STEP - 1, `${context}: undo of the tip`);
  const expected = expectedCoins(h);
  assert.equal(state.coins.size, expected.size, `${context}: UTXO count at height ${h}`);
  assert.deepEqual(state.coins, expected, `${context}: UTXO set at height ${h}`);
}

// The two loops run side by side: each is mostly waiting for its child to load.
describe("crash safety under SIGKILL", { timeout: 180_000, concurrency: true }, () => {
  it("atomic commits: acknowledged commits complete, no partial batch visible (20 kills)", async (t) => {
    await withTempDir(async (dir) => {
      const path = join(dir, "chainstate");
      let acked = -1;
      let progressed = 0;
      for (let run = 0; run < 20; run++) {
        const { lastAck, delayMs } = await runAndKill(path, "atomic");
        acked = Math.max(acked, lastAck);
        const context = `run ${run}, killed after ${delayMs} ms, last ack ${acked}`;
        const state = await inspect(path);
        assert.equal(state.recovery, undefined, context);
        if (acked < 0 && state.tip === undefined) continue;
        assert.ok(
          state.tip !== undefined && state.tip.height >= acked,
          `${context}: tip ${state.tip?.height}`,
        );
        assertExactState(state, context);
        progressed++;
      }
      assert.ok(progressed >= 10, `the writer committed in ${progressed} of 20 runs`);
      t.diagnostic(
        `state checked after ${progressed} kills with commits; last acknowledged ${acked}`,
      );
    });
  });

  it("split commits: a torn flush is detected, holds only the two tips' coins, and is replayed (10 kills)", async (t) => {
    await withTempDir(async (dir) => {
      const path = join(dir, "chainstate");
      let acked = -1;
      let torn = 0;
      for (let run = 0; run < 10; run++) {
        const { lastAck, delayMs } = await runAndKill(path, "chunked");
        acked = Math.max(acked, lastAck);
        const context = `run ${run}, killed after ${delayMs} ms, last ack ${acked}`;
        const state = await inspect(path);
        if (state.recovery === undefined) {
          if (acked < 0 && state.tip === undefined) continue;
          assert.ok(state.tip !== undefined && state.tip.height >= acked, context);
          assertExactState(state, context);
          continue;
        }
        torn++;
        const from = state.recovery.from?.height ?? -1;
        const to = state.recovery.to.height;
        assert.equal(to, from + 1, context);
        assert.ok(from >= acked, `${context}: torn from ${from}`);
        assert.equal(state.recovery.to.hash, stepHash(to), context);
        const before = from < 0 ? new Map<string, Coin>() : expectedCoins(from);
        const after = expectedCoins(to);
        for (const [key, coin] of state.coins) {
          const known = after.get(key) ?? before.get(key);
          assert.deepEqual(coin, known, `${context}: ${key} belongs to neither tip`);
        }
        for (const key of before.keys()) {
          if (after.has(key)) assert.ok(state.coins.has(key), `${context}: ${key} lost`);
        }
      }
      // The writer replays a torn flush at start; let it finish a few steps and check the result.
      const child = spawn(NODE, [WRITER, path, "chunked", "3"], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      const code = await new Promise((resolve) => child.on("exit", resolve));
      assert.equal(code, 0);
      const final = await inspect(path);
      assert.equal(final.recovery, undefined);
      assertExactState(final, `after replay (${torn} torn flushes seen)`);
      t.diagnostic(
        `${torn} of 10 kills landed inside a split flush; final tip ${final.tip?.height}`,
      );
    });
  });
});
