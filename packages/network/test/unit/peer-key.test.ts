import assert from "node:assert/strict";
import { chmod, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { PeerKeyFormatError, PeerKeyPermissionsError } from "../../src/errors.ts";
import { loadOrCreatePeerKey } from "../../src/host/peer-key.ts";
import { tempDir } from "../utils/fixtures.ts";

it("the peer key is created 0600 and loads back as the same identity", async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, "keys", "peer-key");
  const key = await loadOrCreatePeerKey(path);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  const again = await loadOrCreatePeerKey(path);
  assert.ok(peerIdFromPrivateKey(again).equals(peerIdFromPrivateKey(key)));
});

it("a key readable by others is refused, and so is garbage", async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, "peer-key");
  await loadOrCreatePeerKey(path);
  await chmod(path, 0o644);
  await assert.rejects(loadOrCreatePeerKey(path), PeerKeyPermissionsError);
  const junk = join(dir.path, "junk-key");
  await writeFile(junk, "not a key", { mode: 0o600 });
  await assert.rejects(loadOrCreatePeerKey(junk), PeerKeyFormatError);
});
