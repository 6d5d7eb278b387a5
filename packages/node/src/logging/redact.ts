/**
 * Secrets never reach a log line. Two layers, because pino's own redaction (paths such as
 * `*.password`) reaches only one level below the top: pino's paths catch the top level and one
 * level down, including inside error objects; `scrubSecrets` walks plain objects and arrays at any
 * depth (up to MAX_DEPTH) and replaces the value of any secret-named key; logger.ts runs it on
 * each line's fields and on child bindings. A secret written into the message text itself is not
 * caught: pass secrets as fields, never in messages (better, not at all).
 */

export const REDACTED = "[Redacted]";

/** Keys whose values are secrets, compared case-insensitively and ignoring `_` and `-`. */
export const SECRET_KEYS: readonly string[] = Object.freeze([
  "password",
  "passphrase",
  "mnemonic",
  "seed",
  "privateKey",
  "cookie",
  "authorization",
  "rpcPassword",
  "secret",
  "xprv",
]);

const NORMALISED = new Set(SECRET_KEYS.map(normaliseKey));

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

export function isSecretKey(key: string): boolean {
  return NORMALISED.has(normaliseKey(key));
}

/** pino `redact.paths`: each secret key at the top level and one level down, in common spellings. */
export function pinoRedactPaths(): string[] {
  const spellings = new Set<string>();
  for (const key of SECRET_KEYS) {
    spellings.add(key);
    spellings.add(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  }
  return [...spellings].flatMap((key) => [key, `*.${key}`]);
}

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every secret-named key's value replaced by REDACTED, in plain objects and
 * arrays at any depth. Untouched branches are shared, not copied; class instances (errors, buffers,
 * maps) are left to pino's serializers and redaction paths.
 */
export function scrubSecrets<T>(value: T): T {
  return scrub(value, 0) as T;
}

function scrub(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = scrub(item, depth + 1);
      if (next !== item) {
        copy ??= [...value];
        copy[i] = next;
      }
    });
    return copy ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const next = isSecretKey(key) ? REDACTED : scrub(item, depth + 1);
    if (next !== item) {
      copy ??= { ...value };
      copy[key] = next;
    }
  }
  return copy ?? value;
}
