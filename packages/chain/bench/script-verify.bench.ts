import type { Bench } from "@starling/bench";
import { measure } from "@starling/bench";
import {
  CONSENSUS_SCRIPT_FLAGS,
  defaultVerifier,
  generatePrivateKey,
  legacySighash,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  runScriptJob,
  type ScriptJob,
  SighashType,
  signInput,
  Transaction,
} from "../src/index.ts";
import { signatureCount } from "./sig-fixtures.ts";

interface P2pkhSpend {
  job: ScriptJob;
  der: Uint8Array;
  sighash: Uint8Array;
  publicKey: Uint8Array;
}

/** `count` one-input transactions, each spending a P2PKH output with a real signature. */
function p2pkhSpends(count: number): P2pkhSpend[] {
  const spends: P2pkhSpend[] = [];
  for (let i = 0; i < count; i++) {
    const key = generatePrivateKey();
    const publicKey = publicKeyFromPrivate(key);
    const scriptPubKey = p2pkhScript(publicKeyHash(publicKey));
    const unsigned = new Transaction({
      version: 1,
      inputs: [
        {
          prevTxid: (i + 1).toString(16).padStart(64, "0"),
          prevIndex: 0,
          scriptSig: new Uint8Array(),
          sequence: 0xffffffff,
        },
      ],
      outputs: [{ value: 1000n, scriptPubKey }],
      locktime: 0,
    });
    const sigWithType = signInput(unsigned, 0, key, scriptPubKey);
    const tx = new Transaction({
      ...unsigned,
      inputs: [{ ...unsigned.inputs[0]!, scriptSig: p2pkhScriptSig(sigWithType, publicKey) }],
    });
    spends.push({
      job: { tx, inputIndex: 0, scriptPubKey, flags: CONSENSUS_SCRIPT_FLAGS },
      der: sigWithType.subarray(0, sigWithType.length - 1),
      sighash: legacySighash(tx, 0, scriptPubKey, SighashType.ALL),
      publicKey,
    });
  }
  return spends;
}

export const benches: Bench[] = [
  {
    // The interpreter's and sighash's cost on top of the signature check itself.
    name: "script-verify",
    unit: "input/s",
    better: "higher",
    async setup(mode) {
      const spends = p2pkhSpends(signatureCount(mode));
      const verifier = defaultVerifier();
      return {
        limitName: `the same signatures through the ${verifier.name} verifier alone`,
        limit: () =>
          measure(() => {
            for (const s of spends) {
              if (!verifier.verify(s.der, s.sighash, s.publicKey))
                throw new Error("fixture did not verify");
            }
            return spends.length;
          }),
        project: () =>
          measure(() => {
            for (const s of spends) {
              if (runScriptJob(s.job, verifier) !== null) throw new Error("script failed");
            }
            return spends.length;
          }),
        notes: () => ({ backend: verifier.name, inputs: spends.length }),
      };
    },
  },
];
