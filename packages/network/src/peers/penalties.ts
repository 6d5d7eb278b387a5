/**
 * Misbehaviour points by offence (Bitcoin Core's ban score: 100 bans by default). The reason is a
 * fixed string, so it doubles as a metric label and as the ban reason shown in `listBans()`.
 */
export const PENALTY_POINTS = {
  /** Gossip the chain rejected (invalid block or transaction, malformed bytes). */
  "invalid-gossip": 20,
  /** A frame larger than the protocol allows: a request that could only be an attack. */
  "oversized-frame": 50,
  /** A request that does not decode, or asks for more than the protocol allows. */
  "malformed-request": 25,
  /** A request over the peer's rate limit. */
  "rate-limited": 10,
  /** A response that breaks the protocol (bad framing, unrequested or oversized data). */
  "bad-response": 25,
  /** No answer before the deadline: could be load, so cheap. */
  "request-timeout": 5,
  /** A status handshake naming another network or genesis. */
  "wrong-chain": 50,
  /** No status handshake, or one that does not decode. */
  "bad-status": 20,
  /** Data fetched by request that the chain found invalid (reported by the node's sync). */
  "invalid-data": 20,
} as const;

export type PenaltyReason = keyof typeof PENALTY_POINTS;

/**
 * Misbehaviour points that fade with a half-life, so a peer that stops misbehaving is forgiven
 * over time while a steady offender still reaches the ban threshold.
 */
export class DecayingPoints {
  private points = 0;
  private updatedAt: number;
  private readonly halfLifeMs: number;

  constructor(now: number, halfLifeMs: number) {
    this.updatedAt = now;
    this.halfLifeMs = halfLifeMs;
  }

  value(now: number): number {
    const elapsed = Math.max(0, now - this.updatedAt);
    return this.points * 0.5 ** (elapsed / this.halfLifeMs);
  }

  add(points: number, now: number): number {
    this.points = this.value(now) + points;
    this.updatedAt = now;
    return this.points;
  }

  reset(now: number): void {
    this.points = 0;
    this.updatedAt = now;
  }
}
