import type { ScriptJob, ScriptJobFailure, ScriptJobRunner, Transaction } from "@starling/chain";
import { impliedFlags, type ScriptCache } from "./script-cache.ts";

/**
 * A ScriptJobRunner in front of another, with a ScriptCache: jobs of transactions already known to
 * pass under the job's flags are dropped before delegating; after a run in which nothing failed,
 * every transaction whose inputs were all in the run is added (under its flags and the flag sets
 * they imply). A failing, aborted or rejected run adds nothing, so a failure is never cached.
 *
 * One cache can serve the mempool (STANDARD flags) and block validation (CONSENSUS flags): a
 * transaction admitted to the mempool is then not re-checked when its block connects.
 */
export class CachingScriptJobRunner implements ScriptJobRunner {
  readonly inner: ScriptJobRunner;
  readonly cache: ScriptCache;

  constructor(inner: ScriptJobRunner, cache: ScriptCache) {
    this.inner = inner;
    this.cache = cache;
  }

  async run(
    jobs: readonly ScriptJob[],
    options: { signal?: AbortSignal } = {},
  ): Promise<ScriptJobFailure | null> {
    // Per transaction and flag set: whether it is cached, and which inputs this run checks.
    const groups = new Map<Transaction, Map<number, { cached: boolean; inputs: Set<number> }>>();
    const uncached: ScriptJob[] = [];
    for (const job of jobs) {
      let byFlags = groups.get(job.tx);
      if (byFlags === undefined) {
        byFlags = new Map();
        groups.set(job.tx, byFlags);
      }
      let group = byFlags.get(job.flags);
      if (group === undefined) {
        group = { cached: this.cache.has(job.tx, job.flags), inputs: new Set() };
        byFlags.set(job.flags, group);
      }
      if (group.cached) continue;
      group.inputs.add(job.inputIndex);
      uncached.push(job);
    }
    if (uncached.length === 0) return null;
    const failure = await this.inner.run(uncached, options);
    if (failure !== null) return failure;
    for (const [tx, byFlags] of groups) {
      for (const [flags, group] of byFlags) {
        // A run that checked only some inputs says nothing about the others.
        if (group.cached || !coversEveryInput(tx, group.inputs)) continue;
        for (const implied of impliedFlags(flags)) this.cache.add(tx, implied);
      }
    }
    return null;
  }
}

function coversEveryInput(tx: Transaction, inputs: ReadonlySet<number>): boolean {
  if (inputs.size !== tx.inputs.length) return false;
  for (let i = 0; i < tx.inputs.length; i++) if (!inputs.has(i)) return false;
  return true;
}
