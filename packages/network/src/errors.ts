/**
 * Infrastructure errors of the network, one class per condition, told apart by `.name`
 * (js-libp2p's habit). Rule violations of blocks and transactions are not here: they are the chain's
 * (ValidationError in @starling/chain) and reach the network only as gossip verdicts.
 */

/** A method that needs the libp2p host ran before start() or after stop(). */
export class NetworkNotStartedError extends Error {
  override readonly name = "NetworkNotStartedError";
  constructor(message = "the network is not started") {
    super(message);
  }
}

/** The peer key file can be read by others than its owner; refused like ssh refuses such a key. */
export class PeerKeyPermissionsError extends Error {
  override readonly name = "PeerKeyPermissionsError";
  readonly path: string;
  readonly mode: number;
  constructor(path: string, mode: number) {
    super(
      `peer key ${path} has mode 0${(mode & 0o777).toString(8)}: it must be readable by its owner ` +
        `only (chmod 600 ${path})`,
    );
    this.path = path;
    this.mode = mode;
  }
}

/** The peer key file exists but does not hold a protobuf-marshalled libp2p private key. */
export class PeerKeyFormatError extends Error {
  override readonly name = "PeerKeyFormatError";
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`peer key ${path} is not a libp2p private key`, { cause });
    this.path = path;
  }
}

/** A JSON state file (bans, address book) exists but cannot be understood. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.path = path;
  }
}

/** A request's deadline passed before the peer answered in full. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  readonly peer: string;
  readonly protocol: string;
  readonly timeoutMs: number;
  constructor(peer: string, protocol: string, timeoutMs: number) {
    super(`${protocol} request to ${peer} timed out after ${timeoutMs} ms`);
    this.peer = peer;
    this.protocol = protocol;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's own signal aborted the request. */
export class RequestAbortedError extends Error {
  override readonly name = "RequestAbortedError";
  constructor(protocol: string, cause: unknown) {
    super(`${protocol} request aborted`, { cause });
  }
}

/** The peer answered with an error frame (rate limited, bad request, server error...). */
export class RemoteError extends Error {
  override readonly name = "RemoteError";
  readonly peer: string;
  readonly protocol: string;
  /** One of RESPONSE_ERROR_CODES' names. */
  readonly code: string;
  constructor(peer: string, protocol: string, code: string, reason: string) {
    super(`${peer} answered ${protocol} with ${code}${reason ? `: ${reason}` : ""}`);
    this.peer = peer;
    this.protocol = protocol;
    this.code = code;
  }
}

/** The peer's response broke the protocol (bad framing, wrong sizes, unrequested data). */
export class ProtocolViolationError extends Error {
  override readonly name = "ProtocolViolationError";
  readonly peer: string;
  readonly protocol: string;
  constructor(peer: string, protocol: string, message: string, cause?: unknown) {
    super(`${peer} broke ${protocol}: ${message}`, cause === undefined ? undefined : { cause });
    this.peer = peer;
    this.protocol = protocol;
  }
}

/** The peer's status names another network or genesis: it is disconnected. */
export class StatusMismatchError extends Error {
  override readonly name = "StatusMismatchError";
  readonly peer: string;
  constructor(peer: string, message: string) {
    super(`${peer}: ${message}`);
    this.peer = peer;
  }
}

/** A dial or request to a peer that is banned. */
export class PeerBannedError extends Error {
  override readonly name = "PeerBannedError";
  readonly peer: string;
  constructor(peer: string, reason: string) {
    super(`${peer} is banned (${reason})`);
    this.peer = peer;
  }
}

/** A published message is larger than its topic allows. */
export class MessageTooLargeError extends Error {
  override readonly name = "MessageTooLargeError";
  constructor(kind: string, size: number, limit: number) {
    super(`${kind} of ${size} bytes exceeds the gossip limit of ${limit} bytes`);
  }
}

/** An argument the caller passed is out of range (too many hashes, a hash of the wrong size...). */
export class InvalidRequestError extends Error {
  override readonly name = "InvalidRequestError";
}
