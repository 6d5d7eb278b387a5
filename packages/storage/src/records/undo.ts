import { ByteReader, ByteWriter } from "@starling/chain";
import { type Coin, readCoin, writeCoin } from "./coin.ts";

/** The smallest encoded coin: code 1 + value 8 + empty script 1. */
const MIN_COIN_SIZE = 10;

/**
 * Undo data of one block: the coins its transactions spent, in the order they were spent (each
 * non-coinbase transaction in block order, its inputs in order). Disconnecting walks the block
 * backwards and restores them. Encoding: CompactSize count | coins (coin.ts), concatenated.
 */
export function encodeUndo(coins: readonly Coin[]): Uint8Array {
  const w = new ByteWriter(16 + coins.length * 48);
  w.compactSize(coins.length);
  for (const coin of coins) writeCoin(w, coin);
  return w.finish();
}

export function decodeUndo(bytes: Uint8Array): Coin[] {
  const r = new ByteReader(bytes);
  const n = r.count(MIN_COIN_SIZE, "undo coins");
  const coins: Coin[] = new Array(n);
  for (let i = 0; i < n; i++) coins[i] = readCoin(r);
  r.end("undo");
  return coins;
}
