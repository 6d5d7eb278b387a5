import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { it } from "node:test";
import {
  connect,
  isConnected,
  startNode,
  stopAll,
  type TestNode,
  tempDir,
  waitFor,
} from "../utils/fixtures.ts";

it("identity, bans and the address book survive a restart", async (t) => {
  const dir = await tempDir();
  const nodes: TestNode[] = [];
  t.after(async () => {
    await stopAll(nodes);
    await dir.remove();
  });
  const friend = await startNode({ dht: false });
  const foe = await startNode({ dht: false });
  nodes.push(friend, foe);

  const first = await startNode({ dataDir: dir.path, dht: false });
  await connect(first, friend);
  const ban = await first.network.ban(foe.network.peerId, "operator says so", 3600_000);
  const peerId = first.network.peerId;
  await first.network.stop();

  const keyMode = (await stat(join(dir.path, "peer-key"))).mode & 0o777;
  assert.equal(keyMode, 0o600, "the key file is private");
  const bansFile = JSON.parse(await readFile(join(dir.path, "bans.json"), "utf8"));
  assert.equal(bansFile.bans[0].peer, foe.network.peerId);
  const book = JSON.parse(await readFile(join(dir.path, "address-book.json"), "utf8"));
  assert.ok(book.peers.some((p: { peer: string }) => p.peer === friend.network.peerId));

  // No bootstrap list: the address book alone brings the friend back.
  const second = await startNode({ dataDir: dir.path, dht: false });
  nodes.push(second);
  assert.equal(second.network.peerId, peerId, "same identity");
  assert.deepEqual(second.network.listBans(), [ban], "same bans, same reason and expiry");
  await waitFor(
    () => isConnected(second, friend),
    "reconnected to the friend from the address book",
  );

  const reconnects: string[] = [];
  second.network.libp2p.addEventListener("peer:connect", (e) =>
    reconnects.push(e.detail.toString()),
  );
  await foe.network.dial(second.address).catch(() => {});
  await waitFor(
    () => foe.network.libp2p.getConnections(second.network.libp2p.peerId).length === 0,
    "the banned peer's connection is closed",
  );
  assert.ok(!reconnects.includes(foe.network.peerId), "the banned peer is refused after restart");

  assert.equal(await second.network.clearBans(), 1);
  assert.deepEqual(second.network.listBans(), []);
  await connect(foe, second);
});
