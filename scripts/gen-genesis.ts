/**
 * One-off: mines each network's genesis block from its template (message, time, bits, reward) and
 * prints the nonce and hash to paste into packages/chain/src/params/<network>.ts. Deterministic:
 * re-running it reproduces the constants in the code, which test/params/genesis.test.ts re-derives.
 *
 *   node scripts/gen-genesis.ts [network ...]
 */
import { isNetworkName, mineGenesis, NETWORK_NAMES, NETWORKS } from "@starling/chain";

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!isNetworkName(name)) {
    console.error(`unknown network ${name}; expected one of ${NETWORK_NAMES.join(", ")}`);
    process.exit(1);
  }
}

for (const name of requested.length > 0 ? requested : NETWORK_NAMES) {
  if (!isNetworkName(name)) continue;
  const fixed = NETWORKS[name].genesisSpec;
  const started = performance.now();
  const { message, time, bits, reward } = fixed;
  const mined = mineGenesis({ message, time, bits, reward });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const same = mined.nonce === fixed.nonce && mined.hash === fixed.hash;
  console.log(`// ${name} (${seconds} s): ${same ? "matches the code" : "CHANGED, paste below"}`);
  console.log(`  nonce: ${mined.nonce},`);
  console.log(`  hash: "${mined.hash}",`);
}
