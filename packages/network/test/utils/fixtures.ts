import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { equalBytes, hashToHex, sha256d } from "@starling/chain";
import {
  type ChainStatus,
  createNetwork,
  type GossipValidators,
  type GossipVerdict,
  type Network,
  type NetworkInit,
  type ReqRespHandlers,
} from "../../src/index.ts";

/** A genesis hash for a test network (display hex). */
export const GENESIS = hashToHex(sha256d(new TextEncoder().encode("starling network tests")));
export const OTHER_GENESIS = hashToHex(sha256d(new TextEncoder().encode("another chain")));

/** An 80-byte header whose prevBlock is `prev`, made unique by `nonce`. */
export function makeHeader(prev: Uint8Array, nonce: number): Uint8Array {
  const h = new Uint8Array(80);
  const view = new DataView(h.buffer);
  view.setInt32(0, 1, true);
  h.set(prev, 4);
  h.set(sha256d(Uint8Array.of(nonce & 0xff, (nonce >> 8) & 0xff, (nonce >> 16) & 0xff)), 36);
  view.setUint32(68, 1_700_000_000 + nonce, true);
  view.setUint32(72, 0x207fffff, true);
  view.setUint32(76, nonce, true);
  return h;
}

export function headerHash(header: Uint8Array): Uint8Array {
  return sha256d(header.subarray(0, 80));
}

/** A "block": a header and `bodyBytes` of filler (the network only reads the first 80 bytes). */
export function makeBlock(prev: Uint8Array, nonce: number, bodyBytes = 200): Uint8Array {
  const block = new Uint8Array(80 + bodyBytes);
  block.set(makeHeader(prev, nonce), 0);
  block.set(randomBytes(bodyBytes), 80);
  return block;
}

export function makeTx(bytes = 120): Uint8Array {
  return new Uint8Array(randomBytes(bytes));
}

/** A linear chain of blocks from a zero parent, with the lookups the req/resp handlers need. */
export class TestChain {
  readonly blocks: Uint8Array[] = [];
  readonly hashes: Uint8Array[] = [];

  constructor(length: number, bodyBytes = 200) {
    let prev: Uint8Array = new Uint8Array(32);
    for (let i = 0; i < length; i++) {
      const block = makeBlock(prev, i + 1, bodyBytes);
      this.blocks.push(block);
      prev = headerHash(block);
      this.hashes.push(prev);
    }
  }

  indexOf(hash: Uint8Array): number {
    return this.hashes.findIndex((h) => equalBytes(h, hash));
  }

  status(): ChainStatus {
    const n = this.blocks.length;
    return {
      bestHeight: Math.max(0, n - 1),
      bestHash: this.hashes[n - 1] ?? new Uint8Array(32),
      chainWork: BigInt(n) * 2n,
    };
  }

  handlers(): ReqRespHandlers {
    return {
      getHeaders: (locator, stop, max) => {
        let start = 0;
        for (const hash of locator) {
          const at = this.indexOf(hash);
          if (at >= 0) {
            start = at + 1;
            break;
          }
        }
        const out: Uint8Array[] = [];
        for (let i = start; i < this.blocks.length && out.length < max; i++) {
          out.push(this.blocks[i]!.subarray(0, 80));
          if (equalBytes(this.hashes[i]!, stop)) break;
        }
        return out;
      },
      getBlocks: async (hashes) =>
        hashes
          .map((h) => this.indexOf(h))
          .filter((i) => i >= 0)
          .map((i) => this.blocks[i]!),
      getMempoolTxids: () => [],
      getTxs: () => [],
    };
  }
}

/** Validators that accept everything unless told otherwise, recording what they saw. */
export class RecordingValidators implements GossipValidators {
  readonly seen: Array<{ kind: "block" | "tx"; from: string; size: number }> = [];
  blockVerdict: (bytes: Uint8Array) => GossipVerdict = () => "accept";
  txVerdict: (bytes: Uint8Array) => GossipVerdict = () => "accept";

  async validateBlock(bytes: Uint8Array, from: string): Promise<GossipVerdict> {
    this.seen.push({ kind: "block", from, size: bytes.length });
    return this.blockVerdict(bytes);
  }

  async validateTx(bytes: Uint8Array, from: string): Promise<GossipVerdict> {
    this.seen.push({ kind: "tx", from, size: bytes.length });
    return this.txVerdict(bytes);
  }
}

export interface TestNode {
  network: Network;
  chain: TestChain;
  validators: RecordingValidators;
  /** This node's first listen address with /p2p/<id>. */
  address: string;
}

export interface TestNodeInit extends Partial<NetworkInit> {
  chain?: TestChain;
  handlers?: ReqRespHandlers;
  validators?: RecordingValidators;
  now?: () => number;
}

/** Test settings: loopback only, private addresses allowed, short deadlines, fast heartbeats. */
export const TEST_INIT: Omit<NetworkInit, "network" | "genesisHash"> = {
  listen: ["/ip4/127.0.0.1/tcp/0"],
  allowPrivateAddresses: true,
  blockSpacingSeconds: 1,
  requestTimeoutMs: 5_000,
  statusTimeoutMs: 3_000,
  heartbeatIntervalMs: 500,
  bootstrapDelayMs: 50,
  gossip: { heartbeatIntervalMs: 200 },
};

export async function startNode(init: TestNodeInit = {}): Promise<TestNode> {
  const chain = init.chain ?? new TestChain(5);
  const validators = init.validators ?? new RecordingValidators();
  const { chain: _c, handlers, validators: _v, now, ...rest } = init;
  const network = await createNetwork(
    { network: "regtest", genesisHash: GENESIS, ...TEST_INIT, ...rest },
    {
      chainStatus: () => chain.status(),
      validators,
      handlers: handlers ?? chain.handlers(),
      ...(now === undefined ? {} : { now }),
    },
  );
  await network.start();
  const address = network.getMultiaddrs().find((a) => a.includes("/127.0.0.1/"));
  if (address === undefined) throw new Error("no loopback listen address");
  return { network, chain, validators, address };
}

export async function stopAll(nodes: Iterable<TestNode | Network>): Promise<void> {
  await Promise.all([...nodes].map((n) => ("network" in n ? n.network : n).stop().catch(() => {})));
}

/** Polls `predicate` until true; throws with `message` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the first event of `type` whose detail passes `filter`. */
export function nextEvent<T>(
  target: EventTarget,
  type: string,
  filter: (detail: T) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${type}`));
    }, timeoutMs);
    const listener = (event: Event): void => {
      const detail = (event as CustomEvent<T>).detail;
      if (!filter(detail)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(detail);
    };
    target.addEventListener(type, listener);
  });
}

export function isConnected(a: TestNode, b: TestNode): boolean {
  return a.network.peers().some((p) => p.peer === b.network.peerId && p.status !== null);
}

/** Dials b from a and waits until both ends have the other's status. */
export async function connect(a: TestNode, b: TestNode): Promise<void> {
  await a.network.dial(b.address);
  await waitFor(() => isConnected(a, b) && isConnected(b, a), "status handshake both ways");
}

/** Both ends see each other in the mesh of `kind`. */
export async function waitForMesh(
  a: TestNode,
  b: TestNode,
  kind: "block" | "tx" = "block",
): Promise<void> {
  await waitFor(
    () =>
      a.network.meshPeers(kind).includes(b.network.peerId) &&
      b.network.meshPeers(kind).includes(a.network.peerId),
    `${kind} mesh between ${a.network.peerId} and ${b.network.peerId}`,
  );
}

export async function tempDir(
  prefix = "starling-net-",
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
