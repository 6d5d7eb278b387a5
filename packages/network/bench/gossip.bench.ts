import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { Bench, BenchInstance, Mode } from "@starling/bench";
import { measure } from "@starling/bench";
import { hashToHex, sha256d } from "@starling/chain";
import { createNetwork, type GossipMessageEvent, type Network } from "../src/index.ts";

/**
 * gossip-line (issue 8's row): the time from publish to validated receipt across a line of 5
 * nodes, for a 1 MB block and a 200 B transaction, through the real network package (gossipsub
 * over yamux over noise over TCP, content ids, validation hand-off at every hop). The limit is the
 * same line done by hand: 5 TCP hops on loopback, each storing the whole message, decrypting it with
 * ChaCha20-Poly1305 (noise's cipher) and encrypting it again for the next hop. The ratio is project
 * time / limit time per message (lower is better): 1.0 would mean the libp2p stack costs nothing
 * over the floor. Issue 8's goals: 1 MB <= 2.0, 200 B <= 3.5, and every message delivered (a message
 * that does not reach the end of the line within DELIVERY_TIMEOUT_MS fails the bench).
 */

const HOPS = 5;
const GENESIS = hashToHex(sha256d(new TextEncoder().encode("starling gossip bench")));

function messagesFor(mode: Mode, big: boolean): number {
  if (mode === "smoke") return 1;
  if (mode === "quick") return big ? 3 : 10;
  return big ? 8 : 40;
}

// --- the limit: store-and-forward TCP with ChaCha20-Poly1305 per hop ---------------------------

function seal(key: Buffer, plain: Uint8Array): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const frame = Buffer.allocUnsafe(4 + 12 + body.length + 16);
  frame.writeUInt32BE(12 + body.length + 16, 0);
  nonce.copy(frame, 4);
  body.copy(frame, 16);
  cipher.getAuthTag().copy(frame, 16 + body.length);
  return frame;
}

function open(key: Buffer, payload: Buffer): Buffer {
  const nonce = payload.subarray(0, 12);
  const tag = payload.subarray(payload.length - 16);
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(payload.subarray(12, payload.length - 16)),
    decipher.final(),
  ]);
}

/** Calls `onFrame` with each whole length-prefixed frame read from `socket` (copies once). */
function readFrames(socket: Socket, onFrame: (payload: Buffer) => void): void {
  let chunks: Buffer[] = [];
  let size = 0;
  let need = -1;
  socket.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    while (true) {
      if (need < 0) {
        if (size < 4) return;
        if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks)];
        need = 4 + chunks[0]!.readUInt32BE(0);
      }
      if (size < need) return;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      onFrame(all.subarray(4, need));
      const rest = all.subarray(need);
      chunks = rest.length > 0 ? [rest] : [];
      size = rest.length;
      need = -1;
    }
  });
}

class TcpLine {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly waiting: Array<() => void> = [];
  private first: Socket | null = null;
  private readonly keys = Array.from({ length: HOPS }, () => randomBytes(32));

  static async create(): Promise<TcpLine> {
    const line = new TcpLine();
    let next: { port: number } | null = null;
    // Build from the end of the line back to its start, each hop dialling the next.
    for (let hop = HOPS - 1; hop >= 1; hop--) {
      const outbound: Socket | null = next === null ? null : await line.dial(next.port);
      const key = line.keys[hop - 1]!;
      const nextKey = line.keys[hop]!;
      const server = createServer((socket) => {
        line.sockets.push(socket);
        readFrames(socket, (payload) => {
          const plain = open(key, payload);
          if (outbound === null) line.waiting.shift()?.();
          else outbound.write(seal(nextKey, plain));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      line.servers.push(server);
      next = server.address() as { port: number };
    }
    line.first = await line.dial(next!.port);
    return line;
  }

  private async dial(port: number): Promise<Socket> {
    const socket = tcpConnect({ port, host: "127.0.0.1", noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    this.sockets.push(socket);
    return socket;
  }

  send(message: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.first!.write(seal(this.keys[0]!, message));
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }
}

// --- the project: five Starling networks in a line ---------------------------------------------

async function startLine(): Promise<Network[]> {
  const nodes: Network[] = [];
  const accept = async () => "accept" as const;
  for (let i = 0; i < HOPS; i++) {
    const network = await createNetwork(
      {
        network: "regtest",
        genesisHash: GENESIS,
        listen: ["/ip4/127.0.0.1/tcp/0"],
        allowPrivateAddresses: true,
        dht: false,
        targetPeers: 2,
        blockSpacingSeconds: 1,
      },
      {
        chainStatus: () => ({ bestHeight: 0, bestHash: new Uint8Array(32), chainWork: 1n }),
        validators: { validateBlock: accept, validateTx: accept },
        handlers: {
          getHeaders: () => [],
          getBlocks: async () => [],
          getMempoolTxids: () => [],
          getTxs: () => [],
        },
      },
    );
    await network.start();
    nodes.push(network);
  }
  for (let i = 0; i + 1 < HOPS; i++) {
    const address = nodes[i + 1]!.getMultiaddrs()[0]!;
    await nodes[i]!.dial(address);
  }
  const deadline = Date.now() + 30_000;
  const meshed = (): boolean =>
    nodes.every((n, i) =>
      (["block", "tx"] as const).every(
        (kind) =>
          (i === 0 || n.meshPeers(kind).includes(nodes[i - 1]!.peerId)) &&
          (i === HOPS - 1 || n.meshPeers(kind).includes(nodes[i + 1]!.peerId)),
      ),
    );
  while (!meshed()) {
    if (Date.now() > deadline) throw new Error("gossip mesh did not form");
    await new Promise((r) => setTimeout(r, 20));
  }
  return nodes;
}

const DELIVERY_TIMEOUT_MS = 30_000;

function received(network: Network, kind: "block" | "tx", msgId: string): Promise<void> {
  const type = kind === "block" ? "gossip:block" : "gossip:tx";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      network.removeEventListener(type, listener);
      reject(
        new Error(`gossip-line: ${kind} ${msgId} not delivered within ${DELIVERY_TIMEOUT_MS} ms`),
      );
    }, DELIVERY_TIMEOUT_MS);
    const listener = (event: CustomEvent<GossipMessageEvent>): void => {
      if (event.detail.msgId !== msgId) return;
      network.removeEventListener(type, listener);
      clearTimeout(timer);
      resolve();
    };
    network.addEventListener(type, listener);
  });
}

let nonce = 0;
/** Makes `message` unique in place (a new header nonce): content ids would suppress repeats. */
function freshen(message: Uint8Array): Uint8Array {
  new DataView(message.buffer, message.byteOffset, message.byteLength).setUint32(76, ++nonce, true);
  return message;
}

function gossipLine(name: string, size: number, kind: "block" | "tx", goal: number): Bench {
  return {
    name,
    unit: "msg/s",
    better: "lower",
    goal,
    async setup(mode): Promise<BenchInstance> {
      const count = messagesFor(mode, size > 100_000);
      const tcp = await TcpLine.create();
      const nodes = await startLine();
      const first = nodes[0]!;
      const last = nodes[HOPS - 1]!;
      const latencies: number[] = [];
      // Made once: generating 1 MB of random bytes would otherwise sit inside the timings.
      const pool = Array.from({ length: count }, () => new Uint8Array(randomBytes(size)));
      return {
        limitName: `${HOPS}-hop TCP store-and-forward, ChaCha20-Poly1305 per hop`,
        limit: () =>
          measure(async () => {
            for (const message of pool) await tcp.send(freshen(message));
            return count;
          }),
        project: () =>
          measure(async () => {
            for (const pooled of pool) {
              const message = freshen(pooled);
              const msgId = hashToHex(
                sha256d(kind === "block" ? message.subarray(0, 80) : message),
              );
              const arrival = received(last, kind, msgId);
              const started = performance.now();
              if (kind === "block") await first.publishBlock(message);
              else await first.publishTx(message);
              await arrival;
              latencies.push(performance.now() - started);
            }
            return count;
          }),
        notes: () => {
          const sorted = [...latencies].sort((a, b) => a - b);
          return {
            bytes: size,
            delivered: `${latencies.length}/${latencies.length} (100%)`,
            medianLatencyMs: Number((sorted[sorted.length >> 1] ?? Number.NaN).toFixed(2)),
          };
        },
        close: async () => {
          await Promise.all(nodes.map((n) => n.stop()));
          await tcp.close();
        },
      };
    },
  };
}

export const benches: Bench[] = [
  gossipLine("gossip-line-1mb", 1_000_000, "block", 2.0),
  gossipLine("gossip-line-200b", 200, "tx", 3.5),
];
