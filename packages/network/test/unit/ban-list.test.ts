import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { StateFileError } from "../../src/errors.ts";
import { BanList } from "../../src/peers/ban-list.ts";
import { tempDir } from "../utils/fixtures.ts";

it("bans carry reason and expiry, lapse, and survive a reload", async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, "bans.json");
  let now = 1_000;
  const bans = new BanList(path, () => now);
  await bans.load();
  const a = await bans.ban("peerA", "invalid blocks", 10_000);
  await bans.ban("peerB", "flood", 5_000);
  assert.deepEqual(a, {
    peer: "peerA",
    reason: "invalid blocks",
    bannedAt: 1_000,
    expiresAt: 11_000,
  });
  assert.equal(bans.isBanned("peerA"), true);
  assert.deepEqual(
    bans.list().map((b) => b.peer),
    ["peerB", "peerA"],
    "soonest expiry first",
  );
  // A shorter re-ban does not shorten a ban.
  await bans.ban("peerA", "again", 1);
  assert.equal(bans.get("peerA")?.expiresAt, 11_000);

  const reloaded = new BanList(path, () => now);
  await reloaded.load();
  assert.deepEqual(reloaded.list(), bans.list());

  now = 6_000;
  assert.equal(bans.isBanned("peerB"), false, "expired");
  assert.equal(await bans.pruneExpired(), 0, "already dropped when met");
  assert.equal(await bans.unban("peerA"), true);
  assert.equal(await bans.unban("peerA"), false);
  await bans.ban("peerC", "x", 100);
  assert.equal(await bans.clear(), 1);
  await bans.flush();
  const file = JSON.parse(await readFile(path, "utf8"));
  assert.deepEqual(file, { version: 1, bans: [] });
});

it("a corrupt ban file is an error, not an empty list", async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, "bans.json");
  await writeFile(path, "{ not json");
  await assert.rejects(new BanList(path).load(), StateFileError);
  await writeFile(path, JSON.stringify({ version: 1, bans: [{ peer: 1 }] }));
  await assert.rejects(new BanList(path).load(), StateFileError);
});
