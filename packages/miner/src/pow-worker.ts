/**
 * A proof-of-work worker thread: scans the nonce range it is given for one header, in chunks,
 * looking at the shared job number between chunks so that the pool can stop it within one chunk.
 */
import { parentPort, workerData } from "node:worker_threads";
import { HeaderScanner } from "./header-scanner.ts";
import {
  CHECK_INTERVAL,
  type PowWorkerData,
  type SearchRequest,
  type WorkerReply,
} from "./pow-protocol.ts";

const data = workerData as PowWorkerData;
const control = new Int32Array(data.control);
const counters = new BigInt64Array(data.counters);
const port = parentPort;
if (port === null) throw new Error("pow-worker.ts must run as a worker thread");

let scanner: HeaderScanner | undefined;

function search(request: SearchRequest): WorkerReply {
  const { job } = request;
  if (scanner === undefined) scanner = new HeaderScanner(request.header, request.target);
  else {
    scanner.setHeader(request.header);
    scanner.setTarget(request.target);
  }
  let next = request.start >>> 0;
  let left = request.count;
  while (left > 0) {
    if (Atomics.load(control, 0) !== job) return { type: "stopped", job };
    const chunk = Math.min(left, CHECK_INTERVAL);
    const result = scanner.scan(next, chunk);
    Atomics.add(counters, data.index, BigInt(result.hashes));
    if (result.nonce !== undefined) return { type: "found", job, nonce: result.nonce };
    left -= chunk;
    next = (next + chunk) >>> 0;
  }
  return { type: "exhausted", job };
}

port.on("message", (request: SearchRequest) => {
  port.postMessage(search(request));
});
