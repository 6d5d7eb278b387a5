import { StateFileError } from "../errors.ts";
import { readJsonStateFile, writeFileAtomic } from "../util/atomic-file.ts";
import { SerialWriter } from "../util/serial-writer.ts";

export interface AddressBookEntry {
  peer: string;
  /** Multiaddrs without the /p2p suffix. */
  addrs: string[];
  /** Unix ms of the last good status handshake. */
  lastSeen: number;
}

interface AddressBookFile {
  version: 1;
  peers: AddressBookEntry[];
}

export const MAX_ADDRESS_BOOK_ENTRIES = 1000;
const MAX_ADDRS_PER_PEER = 8;

/**
 * Peers this node has had a good handshake with, persisted as JSON (atomic write) so that a restarted
 * node reconnects without the bootstrap nodes. Only peers that passed the status handshake are
 * recorded, so a hostile DHT cannot fill the book with junk; the oldest entries go first past the cap.
 */
export class AddressBook {
  private readonly path: string | null;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, AddressBookEntry>();
  private readonly writer: SerialWriter;

  constructor(
    path: string | null,
    now: () => number = Date.now,
    maxEntries = MAX_ADDRESS_BOOK_ENTRIES,
  ) {
    this.path = path;
    this.now = now;
    this.maxEntries = maxEntries;
    this.writer = new SerialWriter(() => this.save());
  }

  async load(): Promise<void> {
    if (this.path === null) return;
    const parsed = await readJsonStateFile(this.path);
    if (parsed === null) return;
    const file = parsed as Partial<AddressBookFile>;
    if (file.version !== 1 || !Array.isArray(file.peers)) {
      throw new StateFileError(this.path, "expected { version: 1, peers: [...] }");
    }
    for (const entry of file.peers) {
      if (!isEntry(entry)) throw new StateFileError(this.path, "malformed address book entry");
      this.entries.set(entry.peer, { ...entry, addrs: entry.addrs.slice(0, MAX_ADDRS_PER_PEER) });
    }
    this.evictOverflow();
  }

  /** Records a good peer and its addresses; saved on the next `save()`/`flush()`. */
  record(peer: string, addrs: readonly string[]): void {
    if (addrs.length === 0) return;
    this.entries.delete(peer);
    this.entries.set(peer, {
      peer,
      addrs: [...new Set(addrs)].slice(0, MAX_ADDRS_PER_PEER),
      lastSeen: this.now(),
    });
    this.evictOverflow();
  }

  remove(peer: string): boolean {
    return this.entries.delete(peer);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Most recently seen first. */
  list(): AddressBookEntry[] {
    return [...this.entries.values()]
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .map((e) => ({ ...e, addrs: [...e.addrs] }));
  }

  /** Writes the book (coalesced with writes already under way). */
  persist(): Promise<void> {
    return this.writer.schedule();
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private evictOverflow(): void {
    if (this.entries.size <= this.maxEntries) return;
    const oldest = [...this.entries.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    for (const e of oldest.slice(0, this.entries.size - this.maxEntries))
      this.entries.delete(e.peer);
  }

  private async save(): Promise<void> {
    if (this.path === null) return;
    const file: AddressBookFile = { version: 1, peers: this.list() };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}

function isEntry(value: unknown): value is AddressBookEntry {
  const v = value as Partial<AddressBookEntry> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.peer === "string" &&
    Array.isArray(v.addrs) &&
    v.addrs.every((a) => typeof a === "string") &&
    Number.isFinite(v.lastSeen)
  );
}
