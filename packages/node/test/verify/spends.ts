/**
 * Test scaffolding for the verify pool: transactions spending P2PKH and P2SH 2-of-3 multisig
 * outputs with real signatures, valid and broken in known ways, as script jobs. Not a test file.
 */
import {
  CONSENSUS_SCRIPT_FLAGS,
  concatBytes,
  generatePrivateKey,
  hash160,
  multisigScript,
  Op,
  p2pkhScript,
  p2pkhScriptSig,
  p2shScript,
  publicKeyFromPrivate,
  publicKeyHash,
  pushData,
  type ScriptJob,
  signInput,
  Transaction,
} from "@starling/chain";

/**
 * How an input is spent. Broken kinds and the error the interpreter gives them:
 * p2pkh-bad-sig (signed over another transaction): EVAL_FALSE; p2pkh-wrong-key (the scriptSig's key
 * does not hash to the output's): EQUALVERIFY; multisig-swapped (signatures out of key order) and
 * multisig-one-sig (one signature for 2-of-3, the other a signature by a key not in the set):
 * EVAL_FALSE.
 */
export type SpendKind =
  | "p2pkh"
  | "p2pkh-bad-sig"
  | "p2pkh-wrong-key"
  | "multisig"
  | "multisig-swapped"
  | "multisig-one-sig";

export const VALID_KINDS: readonly SpendKind[] = ["p2pkh", "multisig"];
export const INVALID_KINDS: readonly SpendKind[] = [
  "p2pkh-bad-sig",
  "p2pkh-wrong-key",
  "multisig-swapped",
  "multisig-one-sig",
];

let seedCounter = 0;

/** A reproducible key: tests differ run to run only by what they build, not by chance. */
function key(): Uint8Array {
  const seed = new Uint8Array(48);
  new DataView(seed.buffer).setUint32(0, ++seedCounter);
  return generatePrivateKey(seed);
}

interface PreparedInput {
  readonly scriptPubKey: Uint8Array;
  readonly scriptSig: (tx: Transaction, inputIndex: number, other: Transaction) => Uint8Array;
}

function prepare(kind: SpendKind): PreparedInput {
  if (kind.startsWith("p2pkh")) {
    const privateKey = key();
    const publicKey = publicKeyFromPrivate(privateKey);
    const scriptPubKey = p2pkhScript(publicKeyHash(publicKey));
    return {
      scriptPubKey,
      scriptSig: (tx, i, other) => {
        const signed = kind === "p2pkh-bad-sig" ? other : tx;
        const sig = signInput(signed, i, privateKey, scriptPubKey);
        const shownKey = kind === "p2pkh-wrong-key" ? publicKeyFromPrivate(key()) : publicKey;
        return p2pkhScriptSig(sig, shownKey);
      },
    };
  }
  const keys = [key(), key(), key()];
  const redeem = multisigScript(
    2,
    keys.map((k) => publicKeyFromPrivate(k)),
  );
  const outsider = key();
  return {
    scriptPubKey: p2shScript(hash160(redeem)),
    scriptSig: (tx, i) => {
      const [a, b] =
        kind === "multisig-swapped"
          ? [keys[1]!, keys[0]!]
          : kind === "multisig-one-sig"
            ? [keys[0]!, outsider]
            : [keys[0]!, keys[1]!];
      const sigs = [signInput(tx, i, a, redeem), signInput(tx, i, b, redeem)];
      return concatBytes(Uint8Array.of(Op.OP_0), ...sigs.map(pushData), pushData(redeem));
    },
  };
}

let outpointCounter = 0;

/** One transaction with an input of each kind (in order); its script jobs, one per input. */
export function spendJobs(
  kinds: readonly SpendKind[],
  flags: number = CONSENSUS_SCRIPT_FLAGS,
): ScriptJob[] {
  const prepared = kinds.map(prepare);
  const prevTxids = prepared.map(() => (++outpointCounter).toString(16).padStart(64, "0"));
  const build = (scriptSigs: readonly Uint8Array[], locktime: number): Transaction =>
    new Transaction({
      version: 1,
      inputs: prepared.map((_, i) => ({
        prevTxid: prevTxids[i]!,
        prevIndex: i,
        scriptSig: scriptSigs[i] ?? new Uint8Array(),
        sequence: 0xffffffff,
      })),
      outputs: [{ value: 1000n, scriptPubKey: Uint8Array.of(Op.OP_1) }],
      locktime,
    });
  const unsigned = build([], 0);
  const other = build([], 1);
  const scriptSigs = prepared.map((p, i) => p.scriptSig(unsigned, i, other));
  const tx = build(scriptSigs, 0);
  return prepared.map((p, inputIndex) => ({ tx, inputIndex, scriptPubKey: p.scriptPubKey, flags }));
}

/** `count` one-input transactions cycling through `kinds`, as one job list. */
export function mixedJobs(count: number, kinds: readonly SpendKind[]): ScriptJob[] {
  return Array.from({ length: count }, (_, i) => spendJobs([kinds[i % kinds.length]!])).flat();
}
