import { hashToHex, sha256d } from "@starling/chain";
import { HEADER_BYTES } from "../constants.ts";
import type { GossipTopics } from "./topics.ts";

/**
 * Content-addressed gossip message ids: a block's id is its hash (SHA-256d of the 80-byte header it
 * opens with), a transaction's its txid (SHA-256d of its bytes). The default gossipsub id (from +
 * seqno) does not exist under StrictNoSign, and would let one block travel under many ids.
 *
 * The id is a kind byte followed by the hash. Gossipsub keeps one seen-cache for all topics, so
 * without the kind byte an 80-byte "transaction" equal to a new block's header, sent ahead of the
 * block, would make every node drop the real block as a duplicate.
 */
export const MSG_ID_KIND = { block: 0x01, tx: 0x02, other: 0x00 } as const;
const KIND_PREFIX: Record<number, string> = { 1: "b", 2: "t", 0: "x" };

/** The content hash (internal byte order) a message of `kind` is known by. */
export function contentHash(kind: "block" | "tx", data: Uint8Array): Uint8Array {
  if (kind === "block" && data.length >= HEADER_BYTES) {
    return sha256d(data.subarray(0, HEADER_BYTES));
  }
  return sha256d(data);
}

export function messageId(topics: GossipTopics, topic: string, data: Uint8Array): Uint8Array {
  const kind = topics.kindOf(topic);
  const id = new Uint8Array(33);
  id[0] = kind === null ? MSG_ID_KIND.other : MSG_ID_KIND[kind];
  id.set(kind === null ? sha256d(data) : contentHash(kind, data), 1);
  return id;
}

/** "b<display hex>" / "t<display hex>": the string gossipsub keys its caches with. */
export function messageIdToString(id: Uint8Array): string {
  return (KIND_PREFIX[id[0] ?? 0] ?? "x") + hashToHex(id.subarray(1));
}

/** The display hex (block hash or txid) inside a message id string. */
export function contentIdOf(msgIdStr: string): string {
  return msgIdStr.slice(1);
}

export interface MessageIdFns {
  msgIdFn(msg: { topic: string; data: Uint8Array }): Uint8Array;
  fastMsgIdFn(msg: { topic: string; data?: Uint8Array | undefined }): string;
  msgIdToStrFn(id: Uint8Array): string;
}

/**
 * The three id functions gossipsub takes. The fast id (checked against the seen cache before a
 * message is even decoded into a Message) is the same content id; it is remembered per data buffer,
 * which gossipsub hands on unchanged to msgIdFn, so a new message is hashed once, not twice.
 */
export function createMessageIdFns(topics: GossipTopics): MessageIdFns {
  const byData = new WeakMap<Uint8Array, Uint8Array>();
  return {
    msgIdFn(msg) {
      return byData.get(msg.data) ?? messageId(topics, msg.topic, msg.data);
    },
    fastMsgIdFn(msg) {
      const data = msg.data ?? new Uint8Array(0);
      const id = messageId(topics, msg.topic, data);
      if (msg.data !== undefined) byData.set(msg.data, id);
      return messageIdToString(id);
    },
    msgIdToStrFn: messageIdToString,
  };
}
