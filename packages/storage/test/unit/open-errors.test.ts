import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { toHex } from "@starling/chain";
import {
  ChainStore,
  CorruptRecordError,
  coinKey,
  DatabaseLockedError,
  DatabaseOpenError,
  encodeSchemaVersion,
  encodeTip,
  headerKey,
  InconsistentStateError,
  type KvStore,
  OpenFailure,
  RocksDbStore,
  SchemaVersionError,
  WrongNetworkError,
} from "../../src/index.ts";
import { at, coin, NETWORK, NODE, outpoint, txidOf, withTempDir } from "../helpers.ts";

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function dump(store: KvStore): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of store.iterate({})) out.push(`${toHex(k)}=${toHex(v)}`);
  return out;
}

/** Runs fixtures/open-store.ts (as `uid` when given) and returns what it printed. */
async function openInChild(
  path: string,
  uid?: number,
): Promise<{ name?: string; reason?: string; opened?: boolean }> {
  const child = spawn(NODE, [fixture("open-store.ts"), path], {
    stdio: ["ignore", "pipe", "inherit"],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  await once(child, "exit");
  return JSON.parse(out);
}

describe("opening a database directory", () => {
  it("refuses a second open of an open directory, in this process and from another", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "db");
      const first = await RocksDbStore.open(path);
      await assert.rejects(RocksDbStore.open(path), DatabaseLockedError);
      await first.close();

      const holder = spawn(NODE, [fixture("hold-lock.ts"), path], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      try {
        const [line] = (await once(holder.stdout, "data")) as [Buffer];
        assert.equal(line.toString().trim(), "ready");
        await assert.rejects(RocksDbStore.open(path), (err: Error) => {
          assert.ok(err instanceof DatabaseLockedError, `${err.name}: ${err.message}`);
          assert.equal(err.path, path);
          return true;
        });
      } finally {
        holder.kill("SIGKILL");
        await once(holder, "exit");
      }
      // The lock dies with its process.
      await (await RocksDbStore.open(path)).close();
    });
  });

  it("refuses a directory whose parent is missing, and creates nothing", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "missing", "parent", "db");
      await assert.rejects(RocksDbStore.open(path), (err: Error) => {
        assert.ok(err instanceof DatabaseOpenError);
        assert.equal(err.reason, OpenFailure.MISSING_PARENT);
        assert.match(err.message, /missing\/parent/);
        return true;
      });
      await assert.rejects(stat(join(dir, "missing")), { code: "ENOENT" });
    });
  });

  it("refuses a path that is a file", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "file");
      await writeFile(path, "not a database");
      await assert.rejects(RocksDbStore.open(path), {
        name: "DatabaseOpenError",
        reason: OpenFailure.NOT_A_DIRECTORY,
      });
    });
  });

  it("refuses to create a database when asked not to", async () => {
    await withTempDir(async (dir) => {
      await assert.rejects(RocksDbStore.open(join(dir, "db"), { create: false }), {
        name: "DatabaseOpenError",
        reason: OpenFailure.NOT_FOUND,
      });
      await mkdir(join(dir, "empty"));
      await assert.rejects(RocksDbStore.open(join(dir, "empty"), { create: false }), {
        name: "DatabaseOpenError",
        reason: OpenFailure.NOT_FOUND,
      });
    });
  });

  it("refuses a read-only directory with a clear error", async () => {
    // Root writes through any mode bits, so as root the attempt runs as `nobody` in a child.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    await withTempDir(async (dir) => {
      await chmod(dir, 0o755);
      const existing = join(dir, "existing");
      await (await RocksDbStore.open(existing)).close();
      const readOnlyParent = join(dir, "ro");
      await mkdir(readOnlyParent, { mode: 0o555 });
      await chmod(existing, 0o555);
      try {
        const fresh = await openInChild(join(readOnlyParent, "db"), uid);
        assert.deepEqual(
          { name: fresh.name, reason: fresh.reason },
          { name: "DatabaseOpenError", reason: OpenFailure.READ_ONLY },
        );
        const old = await openInChild(existing, uid);
        assert.deepEqual(
          { name: old.name, reason: old.reason },
          { name: "DatabaseOpenError", reason: OpenFailure.READ_ONLY },
        );
      } finally {
        await chmod(existing, 0o755);
      }
    });
  });

  it("opens read-only when asked, and refuses writes", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "db");
      const store = await RocksDbStore.open(path);
      const batch = store.batch();
      batch.put(Uint8Array.of(1), Uint8Array.of(2));
      await store.write(batch);
      await store.close();
      const ro = await RocksDbStore.open(path, { readOnly: true });
      assert.deepEqual([...(await ro.get(Uint8Array.of(1)))!], [2]);
      const refused = ro.batch();
      refused.put(Uint8Array.of(3), Uint8Array.of(4));
      await assert.rejects(ro.write(refused), { name: "WriteFailedError" });
      await ro.close();
    });
  });
});

describe("the chain store's start-up check", () => {
  async function withChainDir(fn: (path: string) => Promise<void>): Promise<void> {
    await withTempDir(async (dir) => fn(join(dir, "chainstate")));
  }

  it("initialises an empty store and reopens it", async () => {
    await withChainDir(async (path) => {
      const chain = await ChainStore.open(await RocksDbStore.open(path), NETWORK);
      assert.equal(chain.tip, undefined);
      assert.equal(chain.recovery, undefined);
      await chain.close();
      const again = await ChainStore.open(await RocksDbStore.open(path), NETWORK);
      assert.equal(again.tip, undefined);
      await again.close();
    });
  });

  it("refuses a datadir of another network or genesis and leaves it untouched", async () => {
    await withChainDir(async (path) => {
      const chain = await ChainStore.open(await RocksDbStore.open(path), NETWORK);
      chain.coins.addCoin(...at(1), coin(1));
      await chain.write((w) => w.setMainChain(0, NETWORK.genesisHash));
      await chain.write((w) =>
        w.putHeader({
          header: new Uint8Array(80),
          height: 0,
          chainWork: 1n,
          status: 0,
          txCount: 1,
        }),
      );
      await chain.close();

      const kv = await RocksDbStore.open(path);
      const before = await dump(kv);
      await assert.rejects(
        ChainStore.open(kv, { ...NETWORK, network: "testnet" }),
        (err: Error) => {
          assert.ok(err instanceof WrongNetworkError);
          assert.equal(err.found.network, "regtest");
          assert.equal(err.expected.network, "testnet");
          return true;
        },
      );
      await assert.rejects(
        ChainStore.open(kv, { ...NETWORK, genesisHash: txidOf("other") }),
        WrongNetworkError,
      );
      assert.deepEqual(await dump(kv), before);
      await kv.close();
    });
  });

  it("refuses another schema version, and a store with data but no version", async () => {
    await withChainDir(async (path) => {
      await (await ChainStore.open(await RocksDbStore.open(path), NETWORK)).close();
      const kv = await RocksDbStore.open(path);
      const batch = kv.batch();
      batch.put(Uint8Array.of(0x56), encodeSchemaVersion(99));
      await kv.write(batch);
      const before = await dump(kv);
      await assert.rejects(ChainStore.open(kv, NETWORK), (err: Error) => {
        assert.ok(err instanceof SchemaVersionError);
        assert.equal(err.found, 99);
        return true;
      });
      assert.deepEqual(await dump(kv), before);

      const other = kv.batch();
      other.del(Uint8Array.of(0x56));
      await kv.write(other);
      await assert.rejects(ChainStore.open(kv, NETWORK), {
        name: "SchemaVersionError",
        found: undefined,
      });
      await kv.close();
    });
  });

  it("names the key of a corrupt record", async () => {
    await withChainDir(async (path) => {
      const chain = await ChainStore.open(await RocksDbStore.open(path), NETWORK);
      const badCoin = coinKey(outpoint(7, 3));
      const badHeader = headerKey(txidOf("h"));
      const batch = chain.kv.batch();
      batch.put(badCoin, Uint8Array.of(0xff, 0xff));
      batch.put(badHeader, new Uint8Array(10));
      await chain.kv.write(batch);

      await assert.rejects(chain.coins.prefetch([outpoint(7, 3)]), (err: Error) => {
        assert.ok(err instanceof CorruptRecordError);
        assert.equal(err.record, "coin");
        assert.equal(err.keyHex, toHex(badCoin));
        assert.ok(err.message.includes(toHex(badCoin)));
        return true;
      });
      await assert.rejects(chain.getHeader(txidOf("h")), {
        name: "CorruptRecordError",
        record: "header",
      });
      await assert.rejects(chain.committedCoin(outpoint(7, 3)), CorruptRecordError);
      await chain.close();
    });
  });

  it("refuses a corrupt tip record and a tip whose records are missing", async () => {
    await withChainDir(async (path) => {
      await (await ChainStore.open(await RocksDbStore.open(path), NETWORK)).close();
      const kv = await RocksDbStore.open(path);
      const batch = kv.batch();
      batch.put(Uint8Array.of(0x54), Uint8Array.of(1, 2, 3));
      await kv.write(batch);
      await assert.rejects(ChainStore.open(kv, NETWORK), {
        name: "CorruptRecordError",
        record: "tip",
      });

      const orphanTip = kv.batch();
      orphanTip.put(
        Uint8Array.of(0x54),
        encodeTip({ best: { hash: txidOf("nowhere"), height: 5 } }),
      );
      await kv.write(orphanTip);
      await assert.rejects(ChainStore.open(kv, NETWORK), InconsistentStateError);
      await kv.close();
    });
  });
});
