/**
 * One test node for the sync tests: RocksDB in a temp dir, the chain state on it, a libp2p network
 * over loopback with validators and handlers backed by the chain, and the block sync. Plus a small
 * regtest miner that builds blocks with transactions directly (no mempool, no template).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Block,
  type BlockHeader,
  ChainState,
  generatePrivateKey,
  getBlockSubsidy,
  hashToHex,
  hexToHash,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  regtest,
  signInput,
  Transaction,
  type UtxoCommitment,
} from "@starling/chain";
import { blockOn } from "@starling/chain/testing";
import {
  createNetwork,
  type GossipValidators,
  type Network,
  type NetworkInit,
  type ReqRespHandlers,
} from "@starling/network";
import { KvChainStateStore, RocksDbStore } from "@starling/storage";
import { createSync } from "../../src/sync/index.ts";
import type { SyncInit } from "../../src/sync/options.ts";
import type { BlockSync, SyncEventTarget } from "../../src/sync/types.ts";

export const params = regtest;
export const nowMs = (): number => Date.now();
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// ---- mining ---------------------------------------------------------------------------------------

const key = generatePrivateKey();
const publicKey = publicKeyFromPrivate(key);
const payout = p2pkhScript(publicKeyHash(publicKey));

function spend(
  prev: { txid: string; index: number; value: bigint },
  outputs: number,
  fee: bigint,
): Transaction {
  const each = (prev.value - fee) / BigInt(outputs);
  const unsigned = new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: prev.txid,
        prevIndex: prev.index,
        scriptSig: new Uint8Array(),
        sequence: 0xffffffff,
      },
    ],
    outputs: Array.from({ length: outputs }, () => ({ value: each, scriptPubKey: payout })),
    locktime: 0,
  });
  const scriptSig = p2pkhScriptSig(signInput(unsigned, 0, key, payout), publicKey);
  return new Transaction({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] });
}

/** A regtest block on `parent` (powLimit: a handful of nonces). */
export function mineBlock(
  parent: BlockHeader,
  height: number,
  txs: Transaction[],
  fees: bigint,
  tag = 0,
): Block {
  // The tag keeps two miners' blocks at one height apart (a partition mines two chains).
  return blockOn({ hash: parent.hash(), height: height - 1, time: parent.time }, txs, {
    tag,
    coinbaseOutputs: [{ value: getBlockSubsidy(height, params) + fees, scriptPubKey: payout }],
  });
}

/**
 * Mines `count` blocks on the chain's tip and connects them. Once coinbases mature, each block
 * spends the coinbase of 100 blocks before into `fanOut` outputs and spends each output of the
 * previous block's fan-out once more: 1 + fanOut transactions a block.
 */
export async function mine(
  chain: ChainState,
  count: number,
  options: { tag?: number; fanOut?: number } = {},
): Promise<Block[]> {
  const tag = options.tag ?? 0;
  const fanOut = options.fanOut ?? 2;
  const fee = 1_000n;
  const blocks: Block[] = [];
  let parent = (await chain.getBlock(chain.tip.hash))!.header;
  let height = chain.tip.height;
  let previousFan: Transaction | undefined;
  for (let i = 0; i < count; i++) {
    height++;
    const txs: Transaction[] = [];
    const matured = height - params.coinbaseMaturity;
    if (matured >= 1) {
      const cbBlock = (await chain.getBlock(chain.getHashAtHeight(matured)!))!;
      const cb = cbBlock.transactions[0]!;
      const fan = spend({ txid: cb.txid(), index: 0, value: cb.outputs[0]!.value }, fanOut, fee);
      txs.push(fan);
      if (previousFan !== undefined) {
        const prev = previousFan;
        prev.outputs.forEach((o, index) => {
          txs.push(spend({ txid: prev.txid(), index, value: o.value }, 1, fee));
        });
      }
      previousFan = fan;
    }
    const block = mineBlock(parent, height, txs, fee * BigInt(txs.length), tag);
    const result = await chain.processBlock(block, { now: nowSeconds() });
    if (result.status !== "connected")
      throw new Error(`mined block not connected: ${result.status}`);
    blocks.push(block);
    parent = block.header;
  }
  return blocks;
}

// ---- nodes --------------------------------------------------------------------------------------

export interface HarnessNodeInit {
  sync?: SyncInit;
  network?: Partial<NetworkInit>;
  /** Replaces parts of the req/resp handlers (a staller's getBlocks, say). */
  handlers?: Partial<ReqRespHandlers>;
  /** Do not start the sync (a node that only serves). */
  noSync?: boolean;
}

export interface HarnessNode {
  readonly dir: string;
  readonly chain: ChainState;
  readonly network: Network;
  readonly sync: BlockSync & { readonly events: SyncEventTarget };
  readonly address: string;
  readonly peerId: string;
  commitment(): Promise<UtxoCommitment>;
  close(): Promise<void>;
}

/** Network settings for loopback tests: private addresses, no DHT, short deadlines. */
export const TEST_NETWORK: Omit<NetworkInit, "network" | "genesisHash"> = {
  listen: ["/ip4/127.0.0.1/tcp/0"],
  allowPrivateAddresses: true,
  dht: false,
  blockSpacingSeconds: 1,
  requestTimeoutMs: 10_000,
  statusTimeoutMs: 3_000,
  heartbeatIntervalMs: 500,
  bootstrapDelayMs: 50,
  gossip: { heartbeatIntervalMs: 200 },
};

export async function startNode(init: HarnessNodeInit = {}): Promise<HarnessNode> {
  const dir = await mkdtemp(join(tmpdir(), "starling-sync-"));
  const kv = await RocksDbStore.open(join(dir, "chainstate"));
  const store = await KvChainStateStore.open(kv, {
    network: params.name,
    genesisHash: params.genesisHash,
  });
  const chain = await ChainState.open({ params, store });
  let sync: (BlockSync & { readonly events: SyncEventTarget }) | undefined;

  const validators: GossipValidators = {
    async validateBlock(bytes, fromPeer) {
      const block = Block.fromBytes(bytes);
      const result = await chain.processBlock(block, { now: nowSeconds(), source: fromPeer });
      if (result.status === "orphan") {
        sync?.onUnknownParent(fromPeer);
        return "ignore";
      }
      return result.status === "duplicate" ? "ignore" : "accept";
    },
    async validateTx() {
      return "ignore";
    },
  };
  const handlers: ReqRespHandlers = {
    getHeaders(locator, stop, max) {
      const stopHex = stop.every((b) => b === 0) ? undefined : hashToHex(stop);
      return chain
        .headersAfter(
          locator.map(hashToHex),
          stopHex === undefined ? { max } : { stop: stopHex, max },
        )
        .map((h) => h.toBytes());
    },
    async getBlocks(hashes) {
      const out: Uint8Array[] = [];
      for (const hash of hashes) {
        const block = await chain.getBlock(hashToHex(hash));
        if (block !== undefined) out.push(block.toBytes());
      }
      return out;
    },
    getMempoolTxids: () => [],
    getTxs: () => [],
    ...init.handlers,
  };
  const network = await createNetwork(
    { network: params.name, genesisHash: params.genesisHash, ...TEST_NETWORK, ...init.network },
    {
      chainStatus: () => {
        const tip = chain.tip;
        return { bestHeight: tip.height, bestHash: hexToHash(tip.hash), chainWork: tip.chainWork };
      },
      validators,
      handlers,
    },
  );
  await network.start();
  sync = createSync({ chain, network, now: nowMs }, { tickIntervalMs: 200, ...init.sync });
  if (init.noSync !== true) sync.start();
  const address = network.getMultiaddrs().find((a) => a.includes("/127.0.0.1/"));
  if (address === undefined) throw new Error("no loopback listen address");
  const started = sync;
  return {
    dir,
    chain,
    network,
    sync: started,
    address,
    peerId: network.peerId,
    async commitment() {
      const report = await chain.verify();
      if (!report.ok) throw new Error(`verify failed: ${report.problems.join("; ")}`);
      return report.commitment;
    },
    async close() {
      await started.stop();
      await network.stop();
      await chain.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `predicate` until true; throws with `message` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
