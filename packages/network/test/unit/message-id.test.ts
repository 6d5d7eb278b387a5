import assert from "node:assert/strict";
import { it } from "node:test";
import { hashToHex, sha256d } from "@starling/chain";
import {
  contentIdOf,
  createMessageIdFns,
  messageId,
  messageIdToString,
} from "../../src/gossip/message-id.ts";
import { GossipTopics } from "../../src/gossip/topics.ts";
import { makeBlock, makeTx } from "../utils/fixtures.ts";

const topics = new GossipTopics("devnet", "0123456789abcdef".repeat(4));

it("topics follow /starling/<network>/<first 8 hex of genesis>/<kind>", () => {
  assert.equal(topics.block, "/starling/devnet/01234567/block");
  assert.equal(topics.tx, "/starling/devnet/01234567/tx");
  assert.equal(topics.kindOf(topics.tx), "tx");
  assert.equal(topics.kindOf("/starling/devnet/01234567/other"), null);
});

it("a block is known by its hash, a transaction by its txid", () => {
  const block = makeBlock(new Uint8Array(32), 1, 500);
  const tx = makeTx(200);
  const blockId = messageIdToString(messageId(topics, topics.block, block));
  const txId = messageIdToString(messageId(topics, topics.tx, tx));
  assert.equal(contentIdOf(blockId), hashToHex(sha256d(block.subarray(0, 80))));
  assert.equal(contentIdOf(txId), hashToHex(sha256d(tx)));
  // The same block with a different body is the same block as far as ids go (the header commits
  // to the body; a mismatch is the validator's business).
  const twin = Uint8Array.from(block);
  twin[100] = (twin[100]! + 1) & 0xff;
  assert.equal(messageIdToString(messageId(topics, topics.block, twin)), blockId);
});

it("a transaction equal to a block header does not shadow the block", () => {
  const block = makeBlock(new Uint8Array(32), 2, 100);
  const header = block.slice(0, 80);
  const asTx = messageIdToString(messageId(topics, topics.tx, header));
  const asBlock = messageIdToString(messageId(topics, topics.block, block));
  assert.notEqual(asTx, asBlock);
  assert.equal(contentIdOf(asTx), contentIdOf(asBlock), "same hash, different kind");
});

it("the fast id and the id agree, and the fast path hashes once", () => {
  const fns = createMessageIdFns(topics);
  const data = makeTx(300);
  const fast = fns.fastMsgIdFn({ topic: topics.tx, data });
  const id = fns.msgIdFn({ topic: topics.tx, data });
  assert.equal(fns.msgIdToStrFn(id), fast);
  assert.equal(
    fns.fastMsgIdFn({ topic: topics.tx }),
    fns.msgIdToStrFn(fns.msgIdFn({ topic: topics.tx, data: new Uint8Array(0) })),
  );
});
