/**
 * Writes packages/miner/src/sha256-unrolled.ts: SHA-256d of an 80-byte block header specialised for
 * a miner's nonce loop, as straight-line JavaScript. Run from the repository root:
 *
 *   ./node_modules/.bin/node packages/miner/scripts/gen-sha256.ts
 *
 * The generator evaluates the two compressions symbolically. Every value has a level: a literal
 * (padding words, the initial state, round constants), per-template (the midstate and the header
 * words 16..18: merkle tail, time, bits), or per-nonce. Literal sub-expressions are folded here;
 * per-template ones go to `prepareScan`, run once per header, whose results the loop reads from a
 * context array; only what depends on the nonce is left in the loop. That yields, without writing
 * any of it by hand: the 3 nonce-independent rounds of the second block, the constant parts of its
 * message schedule, and the literal padding words of both blocks folded away. The second hash stops
 * at round 61 (index 60): the hash's top 32 bits are state word 7, which after round 60 is known
 * (h after 64 rounds is e after round 60), so rounds 61..63 and three a-values are never computed.
 *
 * V8 refuses to optimise a function whose bytecode exceeds 60 KB, and the whole loop body is just
 * over that (measured with --print-bytecode: about 61 KB; unsplit, it runs in Maglev at a third of
 * the speed, then deoptimises). The body is therefore split into functions at given rounds,
 * handing the live values (the last four a and e, the last 16 schedule words) through a small
 * Int32Array. The default split is between the two compressions: two functions of about 30 KB of
 * bytecode each, one call and 8 words handed over per nonce.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** 0 literal, 1 per template (computed in prepareScan), 2 per nonce (computed in the loop). */
type Level = 0 | 1 | 2;

/** Terms of a not-yet-written sum, kept apart so that literals and template terms fold further. */
interface SumParts {
  readonly lit: number;
  readonly tmpl: readonly Val[];
  readonly vars: readonly Val[];
}

interface Val {
  readonly level: Level;
  /** For level 0: the value. */
  readonly lit: number;
  /** An expression, in the namespace of prepareScan (level 1) or of the loop (level 2). */
  readonly code: string;
  readonly sum?: SumParts;
}

const u32 = (x: number): number => x >>> 0;
/** An int32 literal (V8 keeps signed 32-bit constants on its integer paths). */
const hex = (x: number): string => {
  const v = x | 0;
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
};
const lit = (x: number): Val => ({ level: 0, lit: u32(x), code: hex(x) });
const isLit = (v: Val, x?: number): boolean =>
  v.level === 0 && (x === undefined || v.lit === u32(x));

/** Code emitted into one function, in order. */
class Emitter {
  readonly lines: string[] = [];
  private counter = 0;
  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }
  emit(line: string): void {
    this.lines.push(line);
  }
}

/** The symbolic evaluator for one generated function pair (prepare + loop parts). */
class Builder {
  readonly prepare = new Emitter();
  /** The loop body is emitted into the current part; a split starts a new one. */
  parts: Emitter[] = [new Emitter()];
  /** Template values the loop reads, by prepare-side name: their context slot. */
  readonly slots = new Map<string, number>();

  get loop(): Emitter {
    return this.parts[this.parts.length - 1]!;
  }

  /** A template value as the loop sees it: a local loaded from its context slot. */
  slot(v: Val): string {
    const named = this.nameTemplate(v);
    let index = this.slots.get(named.code);
    if (index === undefined) {
      index = this.slots.size;
      this.slots.set(named.code, index);
      this.prepare.emit(`ctx[${index}] = ${named.code};`);
    }
    return `c${index}`;
  }

  /** Template expressions already written in prepareScan, by code: equal constants share a slot. */
  private readonly templateNames = new Map<string, string>();

  private nameTemplate(v: Val): Val {
    if (/^[a-z]\w*$/.test(v.code)) return v;
    let name = this.templateNames.get(v.code);
    if (name === undefined) {
      name = this.prepare.fresh("p");
      this.prepare.emit(`const ${name} = ${v.code};`);
      this.templateNames.set(v.code, name);
    }
    return { level: 1, lit: 0, code: name };
  }

  /** Code of `v` usable in the given level's function. */
  ref(v: Val, level: Level): string {
    if (v.level === 0) return v.code;
    if (v.level === 1 && level === 2) return this.slot(v);
    return v.code;
  }

  add(...vs: Val[]): Val {
    let litSum = 0;
    const tmpl: Val[] = [];
    const vars: Val[] = [];
    for (const v of vs) {
      const parts: SumParts = v.sum ?? {
        lit: v.level === 0 ? v.lit : 0,
        tmpl: v.level === 1 ? [v] : [],
        vars: v.level === 2 ? [v] : [],
      };
      litSum = (litSum + parts.lit) >>> 0;
      tmpl.push(...parts.tmpl);
      vars.push(...parts.vars);
    }
    const sum: SumParts = { lit: litSum, tmpl, vars };
    if (vars.length === 0 && tmpl.length === 0) return lit(litSum);
    if (vars.length === 0) {
      const terms = tmpl.map((t) => t.code);
      if (litSum !== 0) terms.push(hex(litSum));
      const code = terms.length === 1 ? terms[0]! : `(${terms.join(" + ")}) | 0`;
      return { level: 1, lit: 0, code, sum };
    }
    const terms = vars.map((t) => t.code);
    if (tmpl.length > 0 || litSum !== 0) {
      // All template terms and the literal become one context slot.
      const constant = this.add(...tmpl, lit(litSum));
      terms.push(this.ref(constant, 2));
    }
    const code = terms.length === 1 ? terms[0]! : `(${terms.join(" + ")}) | 0`;
    return { level: 2, lit: 0, code, sum };
  }

  private op(level: Level, code: string, value: number): Val {
    return level === 0 ? lit(value) : { level, lit: 0, code };
  }

  private binary(a: Val, b: Val, sym: string, f: (x: number, y: number) => number): Val {
    const level = Math.max(a.level, b.level) as Level;
    return this.op(level, `(${this.ref(a, level)} ${sym} ${this.ref(b, level)})`, f(a.lit, b.lit));
  }

  xor(...vs: Val[]): Val {
    const nonZero = vs.filter((v) => !isLit(v, 0));
    if (nonZero.length === 0) return lit(0);
    let litPart = 0;
    const rest: Val[] = [];
    for (const v of nonZero) {
      if (v.level === 0) litPart ^= v.lit;
      else rest.push(v);
    }
    if (rest.length === 0) return lit(litPart);
    if (litPart !== 0) rest.push(lit(litPart));
    return rest.reduce((acc, v) => this.binary(acc, v, "^", (x, y) => x ^ y));
  }

  and(a: Val, b: Val): Val {
    if (isLit(a, 0) || isLit(b, 0)) return lit(0);
    return this.binary(a, b, "&", (x, y) => x & y);
  }

  rotr(v: Val, n: number): Val {
    if (isLit(v, 0)) return lit(0);
    const c = this.ref(v, v.level);
    return this.op(
      v.level,
      `(${c} >>> ${n} | ${c} << ${32 - n})`,
      (v.lit >>> n) | (v.lit << (32 - n)),
    );
  }

  shr(v: Val, n: number): Val {
    if (isLit(v, 0)) return lit(0);
    return this.op(v.level, `(${this.ref(v, v.level)} >>> ${n})`, v.lit >>> n);
  }

  /** Writes `v` as a constant of its level's function; literals stay literals. */
  name(v: Val, prefix: string): Val {
    if (v.level === 0) return v;
    if (/^[a-z]\w*$/.test(v.code)) return { level: v.level, lit: 0, code: v.code };
    const emitter = v.level === 1 ? this.prepare : this.loop;
    const name = emitter.fresh(prefix);
    emitter.emit(`const ${name} = ${v.code};`);
    return { level: v.level, lit: 0, code: name };
  }

  /**
   * Writes only the per-nonce terms of a sum as a constant, keeping its literal and template terms
   * symbolic so that they fold into the sums that use it (T1 feeds both e and a).
   */
  nameVars(v: Val, prefix: string): Val {
    if (v.sum === undefined || v.level < 2 || v.sum.vars.length < 2) return v;
    const named = this.name(this.add(...v.sum.vars), prefix);
    return this.add(named, ...v.sum.tmpl, lit(v.sum.lit));
  }

  /** Ends the current loop part: live per-nonce values pass to the next part through `state`. */
  split(live: Val[]): Val[] {
    const out = live.map((v, i) => {
      if (v.level < 2) return v;
      const named = this.name(v, "s");
      this.loop.emit(`state[${i}] = ${named.code};`);
      return named;
    });
    this.parts.push(new Emitter());
    return out.map((v, i) => {
      if (v.level < 2) return v;
      const name = this.loop.fresh("s");
      this.loop.emit(`const ${name} = state[${i}]!;`);
      return { level: 2, lit: 0, code: name };
    });
  }
}

const bigSigma0 = (b: Builder, a: Val): Val => b.xor(b.rotr(a, 2), b.rotr(a, 13), b.rotr(a, 22));
const bigSigma1 = (b: Builder, e: Val): Val => b.xor(b.rotr(e, 6), b.rotr(e, 11), b.rotr(e, 25));
const smallSigma0 = (b: Builder, w: Val): Val => b.xor(b.rotr(w, 7), b.rotr(w, 18), b.shr(w, 3));
const smallSigma1 = (b: Builder, w: Val): Val => b.xor(b.rotr(w, 17), b.rotr(w, 19), b.shr(w, 10));

interface CompressionState {
  /** a-values by round: index r + 4 holds the a computed in round r (0..3: the initial a..d reversed). */
  readonly a: Val[];
  readonly e: Val[];
  readonly w: Val[];
}

/**
 * Rounds [from, to) of a compression. a-values after round `lastA` are not computed: the early-exit
 * hash never reads them.
 */
function rounds(b: Builder, s: CompressionState, from: number, to: number, lastA: number): void {
  for (let r = from; r < to; r++) {
    if (r >= 16 && s.w[r] === undefined) {
      const w = b.add(
        smallSigma1(b, s.w[r - 2]!),
        s.w[r - 7]!,
        smallSigma0(b, s.w[r - 15]!),
        s.w[r - 16]!,
      );
      s.w[r] = b.name(w, "w");
    }
    const e1 = s.e[r + 3]!; // e of the previous round
    const e2 = s.e[r + 2]!;
    const e3 = s.e[r + 1]!;
    const h = s.e[r]!;
    const ch = b.xor(e3, b.and(e1, b.xor(e2, e3)));
    const t1 = b.nameVars(b.add(h, bigSigma1(b, e1), ch, lit(K[r]!), s.w[r]!), "t");
    s.e[r + 4] = b.name(b.add(s.a[r]!, t1), "e");
    if (r <= lastA) {
      const a1 = s.a[r + 3]!;
      const a2 = s.a[r + 2]!;
      const a3 = s.a[r + 1]!;
      const maj = b.xor(a2, b.and(b.xor(a1, a2), b.xor(a2, a3)));
      s.a[r + 4] = b.name(b.add(t1, bigSigma0(b, a1), maj), "a");
    }
  }
}

/** Initial a..h as the round arrays hold them (a[3] = a, a[2] = b, ...). */
function initialState(words: Val[]): Pick<CompressionState, "a" | "e"> {
  return {
    a: [words[3]!, words[2]!, words[1]!, words[0]!],
    e: [words[7]!, words[6]!, words[5]!, words[4]!],
  };
}

/** The state words after 64 rounds (a, b, ..., h), not yet added to the input state. */
function finalWords(s: CompressionState): Val[] {
  return [s.a[67]!, s.a[66]!, s.a[65]!, s.a[64]!, s.e[67]!, s.e[66]!, s.e[65]!, s.e[64]!];
}

/**
 * Rounds [0, to) of a compression, starting a new loop function after each round in `splitAt`
 * (below `to`): the values still needed (the last four a and e, the last 16 schedule words) pass
 * through the state array.
 */
function runWithSplits(
  b: Builder,
  s: CompressionState,
  to: number,
  lastA: number,
  splitAt: readonly number[],
): void {
  let done = 0;
  for (const at of [...splitAt.filter((x) => x >= 0 && x < to), to]) {
    rounds(b, s, done, at, lastA);
    done = at;
    if (done === to) break;
    const aLive = s.a.slice(done, done + 4);
    const eLive = s.e.slice(done, done + 4);
    const wFrom = Math.max(0, done - 16);
    const wLive = s.w.slice(wFrom, Math.max(16, done));
    const passed = b.split([...aLive, ...eLive, ...wLive]);
    for (let i = 0; i < 4; i++) s.a[done + i] = passed[i]!;
    for (let i = 0; i < 4; i++) s.e[done + i] = passed[4 + i]!;
    wLive.forEach((_, i) => {
      s.w[wFrom + i] = passed[8 + i]!;
    });
  }
}

interface Generated {
  prepare: string[];
  parts: string[][];
  slotCount: number;
}

/**
 * The per-nonce body: `w3` (the nonce as the big-endian word SHA-256 reads) is the only per-nonce
 * input; the body ends with `h7`, state word 7 of the final hash.
 */
function generate(splitAt: readonly number[]): Generated {
  const b = new Builder();
  const mid = Array.from({ length: 8 }, (_, i): Val => ({ level: 1, lit: 0, code: `m${i}` }));
  const w: Val[] = [
    { level: 1, lit: 0, code: "w0" },
    { level: 1, lit: 0, code: "w1" },
    { level: 1, lit: 0, code: "w2" },
    { level: 2, lit: 0, code: "w3" },
    lit(0x80000000),
    ...Array.from({ length: 10 }, () => lit(0)),
    lit(640),
  ];
  // Block 2 of the header (bytes 64..79 and padding) from the midstate.
  const first: CompressionState = { ...initialState(mid), w };
  runWithSplits(
    b,
    first,
    64,
    63,
    splitAt.filter((at) => at > 0 && at < 64),
  );
  const digest = finalWords(first).map((v, i) => b.name(b.add(mid[i]!, v), "d"));
  // The second SHA-256: the 32-byte digest, padding, from the initial state; stop at e of round 60.
  const second: CompressionState = {
    ...initialState(IV.map(lit)),
    w: [...digest, lit(0x80000000), ...Array.from({ length: 6 }, () => lit(0)), lit(256)],
  };
  runWithSplits(
    b,
    second,
    61,
    56,
    splitAt.filter((at) => at >= 64).map((at) => at - 64),
  );
  const h7 = b.add(second.e[64]!, lit(IV[7]!));
  b.loop.emit(`const h7 = ${b.ref(h7, 2)};`);
  return {
    prepare: b.prepare.lines,
    parts: b.parts.map((p) => p.lines),
    slotCount: b.slots.size,
  };
}

function indent(lines: readonly string[], spaces: number): string {
  const pad = " ".repeat(spaces);
  return lines.map((l) => `${pad}${l}`).join("\n");
}

/** Loads of the context slots `lines` read (sums folded away may have asked for others). */
function loads(lines: readonly string[]): string[] {
  const text = lines.join("\n");
  const used = new Set<number>();
  for (const m of text.matchAll(/\bc(\d+)\b/g)) used.add(Number(m[1]));
  return [...used].sort((x, y) => x - y).map((i) => `const c${i} = ctx[${i}]!;`);
}

const BSWAP_W3 =
  "const w3 = (nonce << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24);";

function render(g: Generated): string {
  const [firstPart, ...rest] = g.parts;
  const helperNames = rest.map((_, i) => `part${i + 1}`);
  const helpers = rest.map((lines, i) => {
    const isLast = i === rest.length - 1;
    const partLoads = loads(lines);
    const ctxParam = partLoads.length > 0 ? "ctx" : "_ctx";
    return `function ${helperNames[i]}(${ctxParam}: Int32Array, state: Int32Array): number {
${indent(partLoads, 2)}
${indent(lines, 2)}
  return ${isLast ? "h7" : "0"};
}`;
  });
  const bodyCalls = helperNames.map((name, i) =>
    i === helperNames.length - 1 ? `const h7 = ${name}(ctx, state);` : `${name}(ctx, state);`,
  );
  const firstLoads = loads(firstPart!);
  const body = [...firstPart!, ...bodyCalls];
  // Slots no part reads need not be written.
  const read = new Set(
    [firstLoads, ...rest.map(loads)].flat().map((l) => Number(/ctx\[(\d+)\]/.exec(l)![1])),
  );
  let prepare = g.prepare.filter((l) => {
    const m = /^ctx\[(\d+)\] = /.exec(l);
    return m === null || read.has(Number(m[1]));
  });
  // Then constants nothing reads any more.
  for (let changed = true; changed; ) {
    const text = prepare.join("\n");
    const before = prepare.length;
    prepare = prepare.filter((l) => {
      const m = /^const (\w+) = /.exec(l);
      return m === null || text.split(new RegExp(`\\b${m[1]}\\b`)).length > 2;
    });
    changed = prepare.length !== before;
  }
  return `// GENERATED by packages/miner/scripts/gen-sha256.ts: do not edit by hand.
// Regenerate from the repository root with
//   ./node_modules/.bin/node packages/miner/scripts/gen-sha256.ts
// SHA-256d of an 80-byte block header for a nonce loop; see the generator for the design and
// header-scanner.ts for how it is used and checked.

/** Int32 slots prepareScan fills and the nonce loop reads. */
export const SCAN_CONTEXT_SIZE = ${g.slotCount};

/** Hands the working state from one part of the loop body to the next (V8's 60 KB limit). */
const state = new Int32Array(32);

/**
 * Fills \`ctx\` with everything the nonce loop needs that does not depend on the nonce: from the
 * midstate (SHA-256 state after the header's first 64 bytes) and the big-endian words of header
 * bytes 64..75 (merkle root tail, time, bits).
 */
export function prepareScan(
  ctx: Int32Array,
  m0: number, m1: number, m2: number, m3: number, m4: number, m5: number, m6: number, m7: number,
  w0: number, w1: number, w2: number,
): void {
${indent(prepare, 2)}
}

${helpers.join("\n\n")}

/**
 * Scans \`count\` nonces from \`start\` (wrapping at 2^32) and returns the first whose hash's top 32
 * bits, as Bitcoin compares hashes (little-endian, bytes 28..31), are at most \`targetTop\`: a
 * candidate the caller must check in full. Returns -1 when none is.
 */
export function scanNonces(ctx: Int32Array, start: number, count: number, targetTop: number): number {
${indent(firstLoads, 2)}
  for (let i = 0; i < count; i++) {
    const nonce = (start + i) | 0;
    ${BSWAP_W3}
${indent(body, 4)}
    if (h7 === 0) return nonce >>> 0;
    if (targetTop !== 0 && ((h7 << 24) | ((h7 & 0xff00) << 8) | ((h7 >>> 8) & 0xff00) | (h7 >>> 24)) >>> 0 <= targetTop) {
      return nonce >>> 0;
    }
  }
  return -1;
}

/**
 * The top 32 bits of one nonce's hash as Bitcoin reads them (bytes 28..31, little-endian): what
 * the loop compares, exposed so that tests can check it against a reference SHA-256d.
 */
export function hashTopWord(ctx: Int32Array, nonce: number): number {
${indent(firstLoads, 2)}
  nonce |= 0;
  ${BSWAP_W3}
${indent(body, 2)}
  return ((h7 << 24) | ((h7 & 0xff00) << 8) | ((h7 >>> 8) & 0xff00) | (h7 >>> 24)) >>> 0;
}
`;
}

function main(): void {
  const splitArg = process.argv.find((a) => a.startsWith("--split="));
  const splitAt =
    splitArg === undefined
      ? DEFAULT_SPLIT
      : splitArg
          .slice("--split=".length)
          .split(",")
          .filter((s) => s !== "")
          .map(Number);
  const out = process.argv.find((a) => a.startsWith("--out="))?.slice("--out=".length);
  const target = out ?? new URL("../src/sha256-unrolled.ts", import.meta.url).pathname;
  writeFileSync(target, render(generate(splitAt)));
  // The repository's formatter, so that \`biome ci\` passes on the generated file as written.
  const biome = new URL("../../../node_modules/.bin/biome", import.meta.url).pathname;
  const formatted = spawnSync(biome, ["format", "--write", target], { stdio: "inherit" });
  if (formatted.status !== 0) throw new Error(`biome format failed on ${target}`);
  console.log(`wrote ${target} (split at ${splitAt.join(",") || "none"})`);
}

/**
 * Rounds after which the loop body starts a new function: 0..63 are the header's second block,
 * 64.. the second hash (64 = between the two). Other splits (e.g. `--split=43,86`, three functions
 * of about 20 KB) measured the same here within the noise; fewer functions are not optimised.
 */
const DEFAULT_SPLIT: readonly number[] = [64];

main();
