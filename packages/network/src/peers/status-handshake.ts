import { equalBytes, hashToHex } from "@starling/chain";
import { RemoteError, StatusMismatchError } from "../errors.ts";
import type { NetworkLogger } from "../metrics.ts";
import type { ReqRespClient } from "../reqresp/client.ts";
import type { RequestOptions } from "../reqresp/req-resp.ts";
import type { PeerStatus } from "../types.ts";
import type { PeerManager } from "./peer-manager.ts";

const MAX_MISMATCH_ENTRIES = 1024;

export interface StatusHandshakeDeps {
  client: ReqRespClient;
  peerManager: PeerManager;
  localStatus(): PeerStatus;
  addressesOf(peer: string): string[];
  statusTimeoutMs: number;
  logger: NetworkLogger;
}

/**
 * The status handshake on every new connection: each side sends its status in a status request and
 * gets the other's in the answer, so one exchange informs both ends (both still ask, so neither
 * depends on the other's timing). A peer on another network or genesis is told so (WRONG_NETWORK),
 * penalised once per connection and disconnected; one that cannot complete the handshake is
 * disconnected too.
 */
export class StatusHandshake {
  private readonly deps: StatusHandshakeDeps;
  /**
   * When each peer was last penalised for a mismatch: both ends of one connection detect it (in
   * our request and in theirs), and one connection must cost one penalty, not two.
   */
  private readonly mismatched = new Map<string, number>();

  constructor(deps: StatusHandshakeDeps) {
    this.deps = deps;
  }

  async onConnect(peer: string): Promise<void> {
    const { deps } = this;
    try {
      await this.refresh(peer, { timeoutMs: deps.statusTimeoutMs });
    } catch (err) {
      if (err instanceof StatusMismatchError) return;
      if (
        (err instanceof RemoteError && err.code === "WRONG_NETWORK") ||
        (err as { name?: unknown }).name === "UnsupportedProtocolError"
      ) {
        this.onMismatch(peer, String((err as Error).message));
        return;
      }
      if (!deps.peerManager.isConnected(peer)) return;
      deps.logger.debug({ err, peer }, "status handshake failed");
      deps.peerManager.penalize(peer, "bad-status");
      await deps.peerManager.hangUp(peer);
    }
  }

  /**
   * Asks the peer for its status and records it; a peer on another network or genesis is
   * penalised, disconnected, and the StatusMismatchError thrown.
   */
  async refresh(peer: string, options?: RequestOptions): Promise<PeerStatus> {
    const remote = await this.deps.client.status(peer, this.deps.localStatus(), options);
    try {
      this.check(peer, remote);
    } catch (err) {
      this.onMismatch(peer, String((err as Error).message));
      throw err;
    }
    this.deps.peerManager.setStatus(peer, remote, this.deps.addressesOf(peer));
    return remote;
  }

  /** The inbound side: checks the requester's status and returns ours, or throws a mismatch. */
  onStatusRequest(peer: string, remote: PeerStatus): PeerStatus {
    try {
      this.check(peer, remote);
    } catch (err) {
      this.penalizeMismatch(peer);
      throw err;
    }
    this.deps.peerManager.setStatus(peer, remote, this.deps.addressesOf(peer));
    return this.deps.localStatus();
  }

  /** Throws StatusMismatchError unless `remote` is on our network and genesis. */
  check(peer: string, remote: PeerStatus): void {
    const local = this.deps.localStatus();
    if (remote.network !== local.network) {
      throw new StatusMismatchError(
        peer,
        `network "${remote.network}", ours is "${local.network}"`,
      );
    }
    if (!equalBytes(remote.genesisHash, local.genesisHash)) {
      throw new StatusMismatchError(
        peer,
        `genesis ${hashToHex(remote.genesisHash)}, ours is ${hashToHex(local.genesisHash)}`,
      );
    }
  }

  private onMismatch(peer: string, why: string): void {
    this.deps.logger.info({ peer, why }, "peer on another chain: disconnecting");
    this.penalizeMismatch(peer);
    void this.deps.peerManager.hangUp(peer);
  }

  private penalizeMismatch(peer: string): void {
    const now = Date.now();
    const last = this.mismatched.get(peer);
    if (last !== undefined && now - last < 2 * this.deps.statusTimeoutMs) return;
    this.mismatched.delete(peer);
    if (this.mismatched.size >= MAX_MISMATCH_ENTRIES) {
      const oldest = this.mismatched.keys().next();
      if (oldest.done !== true) this.mismatched.delete(oldest.value);
    }
    this.mismatched.set(peer, now);
    this.deps.peerManager.penalize(peer, "wrong-chain");
  }
}
