import assert from "node:assert/strict";
import { it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { PeerId } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { AddressBook } from "../../src/discovery/address-book.ts";
import type { NetworkEvents } from "../../src/events.ts";
import { resolveNetworkOptions } from "../../src/options.ts";
import { BanList } from "../../src/peers/ban-list.ts";
import { PeerManager } from "../../src/peers/peer-manager.ts";

async function peers(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString());
  return out;
}

function manager(init: { targetPeers: number; now: () => number; gossip: Map<string, number> }) {
  const hungUp: string[] = [];
  const events: Array<keyof NetworkEvents> = [];
  const banList = new BanList(null, init.now);
  const options = resolveNetworkOptions({
    network: "regtest",
    genesisHash: "00".repeat(32),
    targetPeers: init.targetPeers,
    targetOutboundPeers: 2,
    maxInboundPeers: 100,
  });
  const pm = new PeerManager({
    libp2p: {
      getConnections: () => [],
      getPeers: () => [],
      hangUp: async (peer: PeerId) => {
        hungUp.push(peer.toString());
      },
    } as never,
    banList,
    addressBook: new AddressBook(null, init.now),
    options,
    gossipScore: (peer) => init.gossip.get(peer) ?? 0,
    graylistThreshold: -16000,
    emit: (type) => events.push(type),
    metrics: {},
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now: init.now,
  });
  return { pm, hungUp, events, banList };
}

const status = {
  network: "regtest",
  genesisHash: new Uint8Array(32),
  bestHeight: 0,
  bestHash: new Uint8Array(32),
  chainWork: 0n,
};

it("pruning cuts the worst-scored peers down to the target, sparing new and outbound ones", async () => {
  let now = 1_000_000;
  const gossip = new Map<string, number>();
  const { pm, hungUp } = manager({ targetPeers: 10, now: () => now, gossip });
  const ids = await peers(16);
  ids.forEach((id, i) => {
    pm.onConnect(id, i < 3 ? "outbound" : "inbound");
    pm.setStatus(id, status, []);
    gossip.set(id, i); // peer 0 is the worst
  });
  await pm.heartbeat();
  assert.deepEqual(hungUp, [], "no pruning during the grace period");
  now += 60_000;
  await pm.heartbeat();
  // 16 > max(12, 12): cut to 10. Outbound 0..2 are protected (3 > 2 allows one to go).
  assert.equal(hungUp.length, 6);
  assert.deepEqual(hungUp.slice().sort(), [ids[0], ids[3], ids[4], ids[5], ids[6], ids[7]].sort());
});

it("misbehaviour bans at the threshold, and penalties lower the combined score", async () => {
  let now = 0;
  const gossip = new Map<string, number>();
  const { pm, hungUp, events, banList } = manager({ targetPeers: 10, now: () => now, gossip });
  const [bad] = await peers(1);
  pm.onConnect(bad!, "inbound");
  gossip.set(bad!, 3);
  pm.penalize(bad!, "malformed-request");
  assert.equal(pm.score(bad!), 3 - 25);
  for (let i = 0; i < 3; i++) {
    now += 1000;
    pm.penalize(bad!, "malformed-request");
  }
  await banList.flush();
  await new Promise((r) => setImmediate(r));
  assert.ok(banList.isBanned(bad!), "banned at 100 points");
  assert.match(banList.get(bad!)!.reason, /malformed-request/);
  assert.ok(events.includes("peer:ban"));
  assert.deepEqual(hungUp, [bad]);
});
