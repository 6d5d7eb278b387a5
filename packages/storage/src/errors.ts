/**
 * Typed errors of the storage package, one class per condition (js-libp2p style, told apart by
 * `name` and `instanceof`). Every one extends `StorageError`, so a node can map "anything from the
 * database" to a clear message and a non-zero exit without guessing.
 */

import { toHex } from "@starling/chain";

export class StorageError extends Error {
  override readonly name: string = "StorageError";
}

/** Why a database directory could not be opened. */
export const OpenFailure = {
  /** The directory's parent does not exist: nothing is created outside an existing folder. */
  MISSING_PARENT: "missing-parent",
  /** The path exists but is a file (or something else that is not a directory). */
  NOT_A_DIRECTORY: "not-a-directory",
  /** The directory (or its parent) cannot be written: permissions or a read-only file system. */
  READ_ONLY: "read-only",
  /** The directory holds no database and the caller asked not to create one. */
  NOT_FOUND: "not-found",
  /** RocksDB found its own files damaged (manifest, SST or WAL checksum). */
  CORRUPT: "corrupt",
  /** Anything else RocksDB refused; the message carries its words. */
  IO: "io",
} as const;
export type OpenFailure = (typeof OpenFailure)[keyof typeof OpenFailure];

export class DatabaseOpenError extends StorageError {
  override readonly name: string = "DatabaseOpenError";
  readonly reason: OpenFailure;
  readonly path: string;

  constructor(reason: OpenFailure, path: string, detail?: string, options?: ErrorOptions) {
    super(`cannot open database at ${path}: ${reason}${detail ? ` (${detail})` : ""}`, options);
    this.reason = reason;
    this.path = path;
  }
}

/** Another process (or another handle in this one) holds the database's lock. */
export class DatabaseLockedError extends StorageError {
  override readonly name: string = "DatabaseLockedError";
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(`database at ${path} is in use by another process or handle`, options);
    this.path = path;
  }
}

/** An operation on a store after `close()`. */
export class DatabaseClosedError extends StorageError {
  override readonly name: string = "DatabaseClosedError";

  constructor(operation: string) {
    super(`${operation}: the database is closed`);
  }
}

/** A stored value that does not decode: the key is named so the record can be found and inspected. */
export class CorruptRecordError extends StorageError {
  override readonly name: string = "CorruptRecordError";
  /** The record kind, from the layout table (e.g. `coin`, `header`). */
  readonly record: string;
  readonly key: Uint8Array;

  constructor(record: string, key: Uint8Array, detail: string, options?: ErrorOptions) {
    super(`corrupt ${record} record at key ${toHex(key)}: ${detail}`, options);
    this.record = record;
    this.key = key;
  }

  get keyHex(): string {
    return toHex(this.key);
  }
}

export interface NetworkIdentity {
  network: string;
  /** Genesis block hash, display hex. */
  genesisHash: string;
}

/** The datadir belongs to another network (or another genesis): refused, nothing written. */
export class WrongNetworkError extends StorageError {
  override readonly name: string = "WrongNetworkError";
  readonly expected: NetworkIdentity;
  readonly found: NetworkIdentity;

  constructor(expected: NetworkIdentity, found: NetworkIdentity) {
    super(
      `database belongs to network ${found.network} (genesis ${found.genesisHash}), ` +
        `not ${expected.network} (genesis ${expected.genesisHash})`,
    );
    this.expected = expected;
    this.found = found;
  }
}

/** The datadir was written by another schema version (or is not a Starling chainstate at all). */
export class SchemaVersionError extends StorageError {
  override readonly name: string = "SchemaVersionError";
  readonly expected: number;
  /** undefined: the database holds data but no schema version record. */
  readonly found: number | undefined;

  constructor(expected: number, found: number | undefined) {
    super(
      found === undefined
        ? `database has data but no schema version: not a Starling chainstate (expected version ${expected})`
        : `database schema version ${found}, this software reads version ${expected}`,
    );
    this.expected = expected;
    this.found = found;
  }
}

/** The records disagree with each other (e.g. the tip's header is missing): refuse to guess. */
export class InconsistentStateError extends StorageError {
  override readonly name: string = "InconsistentStateError";
}

/** A write failed because the disk is full. Nothing of the batch was applied. */
export class DiskFullError extends StorageError {
  override readonly name: string = "DiskFullError";
}

/** A write failed for another reason. Nothing of the batch was applied. */
export class WriteFailedError extends StorageError {
  override readonly name: string = "WriteFailedError";
}
