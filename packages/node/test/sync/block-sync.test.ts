import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Block,
  BlockHeader,
  ChainState,
  hashToHex,
  hexToHash,
  MemoryChainStateStore,
} from "@starling/chain";
import type { PeerInfo, PeerStatus } from "@starling/network";
import { createSync } from "../../src/sync/index.ts";
import type { SyncNetwork } from "../../src/sync/types.ts";
import { mine, mineBlock, params, waitFor } from "./harness.ts";

/** A fake network: each peer serves a fixed list of blocks; penalties are recorded. */
class FakeNetwork extends EventTarget {
  readonly served = new Map<string, Block[]>();
  readonly statuses = new Map<string, PeerStatus>();
  readonly reports: Array<{ peer: string; reason: string; points: number | undefined }> = [];

  addPeer(peer: string, blocks: Block[], work: bigint): void {
    this.served.set(peer, blocks);
    const tip = blocks[blocks.length - 1]!;
    const status: PeerStatus = {
      network: "regtest",
      genesisHash: hexToHash(params.genesisHash),
      bestHeight: blocks.length,
      bestHash: hexToHash(tip.hash()),
      chainWork: work,
    };
    this.statuses.set(peer, status);
    this.dispatchEvent(
      new CustomEvent("peer:status", { detail: { peer, status, direction: "outbound" } }),
    );
  }

  peers(): PeerInfo[] {
    return [...this.statuses].map(([peer, status]) => ({
      peer,
      status,
      direction: "outbound",
      addresses: [],
      score: 0,
      gossipScore: 0,
      misbehaviour: 0,
      connectedAt: 0,
    }));
  }

  async requestHeaders(peer: string, locator: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const blocks = this.served.get(peer) ?? [];
    const known = new Set(locator.map(hashToHex));
    let start = 0;
    for (let i = blocks.length - 1; i >= 0; i--) {
      if (known.has(blocks[i]!.hash())) {
        start = i + 1;
        break;
      }
    }
    return blocks.slice(start).map((b) => b.header.toBytes());
  }

  async *requestBlocks(peer: string, hashes: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
    const blocks = this.served.get(peer) ?? [];
    for (const hash of hashes.map(hashToHex)) {
      const block = blocks.find((b) => b.hash() === hash);
      if (block !== undefined) yield block.toBytes();
    }
  }

  async requestStatus(peer: string): Promise<PeerStatus> {
    return this.statuses.get(peer)!;
  }

  reportPeer(peer: string, reason: string, points?: number): void {
    this.reports.push({ peer, reason, points });
  }
}

async function memoryChain(): Promise<ChainState> {
  return ChainState.open({ params, store: new MemoryChainStateStore() });
}

const work = (blocks: number): bigint => BigInt(blocks + 1) * 2n;

test("a peer serving an invalid block is reported; the sync follows the honest peer", async () => {
  const source = await memoryChain();
  const honest = await mine(source, 6);
  // The evil chain: more blocks, but its 3rd block's coinbase pays too much.
  const evil: Block[] = [];
  let parent: BlockHeader = params.genesis.header;
  for (let h = 1; h <= 8; h++) {
    const block = mineBlock(parent, h, [], h === 3 ? 5_000n : 0n, 7);
    evil.push(block);
    parent = block.header;
  }
  const chain = await memoryChain();
  const network = new FakeNetwork();
  const sync = createSync(
    { chain, network: network as unknown as SyncNetwork, now: Date.now },
    { tickIntervalMs: 20 },
  );
  sync.start();
  network.addPeer("evil", evil, work(8));
  network.addPeer("honest", honest, work(6));
  await waitFor(() => chain.tip.hash === honest[5]!.hash(), "the honest chain is the tip", 10_000);
  const evilReports = network.reports.filter((r) => r.peer === "evil");
  assert.ok(
    evilReports.some((r) => r.reason === "invalid-data"),
    "evil was reported",
  );
  assert.ok(chain.isKnownInvalid(evil[2]!.hash()));
  assert.equal(network.reports.filter((r) => r.peer === "honest").length, 0);
  await waitFor(() => sync.status().state === "synced", "synced", 5_000);
  await sync.stop();
  assert.equal(sync.status().state, "idle");
});

test("headers without proof of work are reported and not followed", async () => {
  const source = await memoryChain();
  const honest = await mine(source, 3);
  const bad = [...honest];
  const noPow = new BlockHeader({
    version: 4,
    prevBlock: honest[2]!.hash(),
    merkleRoot: honest[2]!.header.merkleRoot,
    time: honest[2]!.header.time + 1,
    bits: 0x1d00ffff, // a target far below the hash: `high-hash`
    nonce: 0,
  });
  const fakeBlock = { ...honest[2]!, header: noPow, hash: () => noPow.hash() } as unknown as Block;
  fakeBlock.toBytes = () => noPow.toBytes();
  bad.push(fakeBlock);
  const chain = await memoryChain();
  const network = new FakeNetwork();
  const sync = createSync(
    { chain, network: network as unknown as SyncNetwork, now: Date.now },
    { tickIntervalMs: 20 },
  );
  sync.start();
  network.addPeer("liar", bad, work(100));
  await waitFor(
    () => network.reports.some((r) => r.peer === "liar"),
    "the liar is reported",
    5_000,
  );
  assert.equal(network.reports[0]!.reason, "invalid-data");
  assert.equal(chain.hasHeader(noPow.hash()), false);
  // The valid headers before it are kept; the liar is backed off, so no block is asked of it.
  assert.equal(chain.bestHeader.height, 3);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(chain.height, 0);
  assert.notEqual(sync.status().state, "synced");
  await sync.stop();
});

test("onUnknownParent fetches headers from that peer even when its status is old", async () => {
  const source = await memoryChain();
  const blocks = await mine(source, 5);
  const chain = await memoryChain();
  const network = new FakeNetwork();
  const sync = createSync(
    { chain, network: network as unknown as SyncNetwork, now: Date.now },
    { tickIntervalMs: 20 },
  );
  sync.start();
  // The peer's handshake said "genesis only" (status taken before it mined).
  network.addPeer("quiet", blocks, work(0));
  await waitFor(() => sync.status().state === "synced", "synced at genesis", 5_000);
  assert.equal(chain.height, 0);
  sync.onUnknownParent("quiet");
  await waitFor(() => chain.height === 5, "caught up through the peer's headers", 5_000);
  await sync.stop();
});
