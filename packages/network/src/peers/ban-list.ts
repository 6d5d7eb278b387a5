import { StateFileError } from "../errors.ts";
import { readJsonStateFile, writeFileAtomic } from "../util/atomic-file.ts";
import { SerialWriter } from "../util/serial-writer.ts";

export interface BanEntry {
  /** Peer id (base58 / CID string). */
  peer: string;
  reason: string;
  /** Unix ms. */
  bannedAt: number;
  /** Unix ms; the ban lapses then. */
  expiresAt: number;
}

interface BanFile {
  version: 1;
  bans: BanEntry[];
}

/** Bans kept at most; past it the ban closest to expiry goes first, so memory stays bounded. */
export const MAX_BANS = 10_000;

/**
 * Banned peers with reason and expiry, persisted as JSON (atomic write) so that a restarted node
 * still refuses them. The connection gater asks `isBanned` on every dial and every inbound
 * connection; expired bans are dropped when met.
 */
export class BanList {
  private readonly path: string | null;
  private readonly now: () => number;
  private readonly bans = new Map<string, BanEntry>();
  private readonly writer: SerialWriter;

  constructor(path: string | null, now: () => number = Date.now) {
    this.path = path;
    this.now = now;
    this.writer = new SerialWriter(() => this.save());
  }

  async load(): Promise<void> {
    if (this.path === null) return;
    const parsed = await readJsonStateFile(this.path);
    if (parsed === null) return;
    const file = parsed as Partial<BanFile>;
    if (file.version !== 1 || !Array.isArray(file.bans)) {
      throw new StateFileError(this.path, "expected { version: 1, bans: [...] }");
    }
    const now = this.now();
    for (const entry of file.bans) {
      if (!isBanEntry(entry)) throw new StateFileError(this.path, "malformed ban entry");
      if (entry.expiresAt > now) this.bans.set(entry.peer, entry);
    }
  }

  /** The live ban of `peer`, or null. */
  get(peer: string): BanEntry | null {
    const entry = this.bans.get(peer);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.now()) {
      this.bans.delete(peer);
      void this.writer.schedule().catch(() => {});
      return null;
    }
    return entry;
  }

  isBanned(peer: string): boolean {
    return this.get(peer) !== null;
  }

  /** Bans `peer` (or extends its ban) and persists the list. */
  async ban(peer: string, reason: string, durationMs: number): Promise<BanEntry> {
    const now = this.now();
    const previous = this.get(peer);
    const expiresAt = Math.max(now + durationMs, previous?.expiresAt ?? 0);
    const entry: BanEntry = { peer, reason, bannedAt: now, expiresAt };
    this.bans.delete(peer);
    this.bans.set(peer, entry);
    this.evictOverflow();
    await this.writer.schedule();
    return entry;
  }

  async unban(peer: string): Promise<boolean> {
    const had = this.bans.delete(peer);
    if (had) await this.writer.schedule();
    return had;
  }

  /** Removes every ban; returns how many there were. */
  async clear(): Promise<number> {
    const count = this.list().length;
    this.bans.clear();
    await this.writer.schedule();
    return count;
  }

  /** Live bans, soonest expiry first. */
  list(): BanEntry[] {
    const now = this.now();
    return [...this.bans.values()]
      .filter((b) => b.expiresAt > now)
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .map((b) => ({ ...b }));
  }

  /** Drops expired bans; returns how many went. */
  async pruneExpired(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [peer, entry] of this.bans) {
      if (entry.expiresAt <= now) {
        this.bans.delete(peer);
        removed++;
      }
    }
    if (removed > 0) await this.writer.schedule();
    return removed;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private evictOverflow(): void {
    if (this.bans.size <= MAX_BANS) return;
    const bySoonest = [...this.bans.values()].sort((a, b) => a.expiresAt - b.expiresAt);
    for (const entry of bySoonest.slice(0, this.bans.size - MAX_BANS)) this.bans.delete(entry.peer);
  }

  private async save(): Promise<void> {
    if (this.path === null) return;
    const now = this.now();
    const file: BanFile = {
      version: 1,
      bans: [...this.bans.values()].filter((b) => b.expiresAt > now),
    };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  }
}

function isBanEntry(value: unknown): value is BanEntry {
  const v = value as Partial<BanEntry> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.peer === "string" &&
    typeof v.reason === "string" &&
    Number.isFinite(v.bannedAt) &&
    Number.isFinite(v.expiresAt)
  );
}
