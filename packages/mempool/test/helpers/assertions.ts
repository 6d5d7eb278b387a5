import assert from "node:assert/strict";
import { TxValidationError } from "@starling/chain";
import { MempoolError } from "../../src/index.ts";

/**
 * Awaits a refusal and checks its reason. `policy`: a MempoolError (score 0, not punished) when
 * true, a consensus TxValidationError otherwise; unchecked when undefined.
 */
export async function refused(
  promise: Promise<unknown>,
  code: string | RegExp,
  policy?: boolean,
): Promise<TxValidationError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TxValidationError, `expected a refusal, got ${String(caught)}`);
  if (typeof code === "string") assert.equal(caught.code, code, caught.message);
  else assert.match(caught.code, code, caught.message);
  if (policy !== undefined) {
    assert.equal(caught instanceof MempoolError, policy, `policy refusal? ${caught.message}`);
    if (policy) assert.equal(caught.score, 0);
  }
  return caught;
}
