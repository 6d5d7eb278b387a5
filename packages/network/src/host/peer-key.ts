import { readFile, stat } from "node:fs/promises";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { PeerKeyFormatError, PeerKeyPermissionsError } from "../errors.ts";
import { writeFileAtomic } from "../util/atomic-file.ts";

/**
 * The node's libp2p identity, kept across restarts so that peers, address books and bans elsewhere
 * keep meaning this node. The file holds the protobuf-marshalled private key (libp2p's own format,
 * as `privateKeyToProtobuf` writes it), mode 0600. A file that group or others can read is refused,
 * as ssh refuses such a key: the key may already have leaked, and the operator should know.
 */
export async function loadOrCreatePeerKey(path: string): Promise<PrivateKey> {
  const existing = await readKeyFile(path);
  if (existing !== null) return existing;
  const key = await generateKeyPair("Ed25519");
  await writeFileAtomic(path, privateKeyToProtobuf(key), 0o600);
  return key;
}

async function readKeyFile(path: string): Promise<PrivateKey | null> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  if ((mode & 0o077) !== 0) throw new PeerKeyPermissionsError(path, mode);
  const bytes = await readFile(path);
  try {
    return privateKeyFromProtobuf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new PeerKeyFormatError(path, err);
  }
}
