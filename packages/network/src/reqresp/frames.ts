import { ByteReader, ByteWriter, DecodeError, DecodeReason } from "@starling/chain";

/**
 * A response is a sequence of length-prefixed frames, each opening with a type byte:
 * CHUNK (payload follows), END (the answer is complete) or ERROR (code byte, reason text).
 * An explicit END lets the requester tell a complete answer from a stream cut short, which the
 * end of a stream alone does not.
 */
export const FrameType = {
  CHUNK: 0,
  END: 1,
  ERROR: 2,
} as const;

/** Error codes of an ERROR frame. */
export const ResponseErrorCode = {
  RATE_LIMITED: 1,
  INVALID_REQUEST: 2,
  SERVER_ERROR: 3,
  WRONG_NETWORK: 4,
  UNAVAILABLE: 5,
} as const;
export type ResponseErrorName = keyof typeof ResponseErrorCode;

const ERROR_NAMES = new Map<number, ResponseErrorName>(
  Object.entries(ResponseErrorCode).map(([name, code]) => [code, name as ResponseErrorName]),
);

const MAX_REASON_BYTES = 256;
/** Bytes a frame adds around its payload. */
export const FRAME_OVERHEAD = 1;

export type ResponseFrame =
  | { type: "chunk"; payload: Uint8Array }
  | { type: "end" }
  | { type: "error"; code: ResponseErrorName | "UNKNOWN"; reason: string };

const END_FRAME = Uint8Array.of(FrameType.END);

export function chunkFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = FrameType.CHUNK;
  out.set(payload, 1);
  return out;
}

export function endFrame(): Uint8Array {
  return END_FRAME;
}

export function errorFrame(code: ResponseErrorName, reason = ""): Uint8Array {
  const text = new TextEncoder().encode(reason).subarray(0, MAX_REASON_BYTES);
  return new ByteWriter(4 + text.length)
    .u8(FrameType.ERROR)
    .u8(ResponseErrorCode[code])
    .varBytes(text)
    .finish();
}

export function decodeFrame(bytes: Uint8Array): ResponseFrame {
  if (bytes.length === 0) throw new DecodeError(DecodeReason.TRUNCATED, "empty frame");
  switch (bytes[0]) {
    case FrameType.CHUNK:
      return { type: "chunk", payload: bytes.subarray(1) };
    case FrameType.END:
      if (bytes.length !== 1) throw new DecodeError(DecodeReason.TRAILING_BYTES, "END frame");
      return { type: "end" };
    case FrameType.ERROR: {
      const r = new ByteReader(bytes, 1);
      const code = ERROR_NAMES.get(r.u8()) ?? "UNKNOWN";
      const reasonBytes = r.varBytes("error reason", MAX_REASON_BYTES);
      r.end("ERROR frame");
      // Lossy on purpose: the reason is for logs, and a hostile peer's bytes must not throw here.
      return { type: "error", code, reason: new TextDecoder().decode(reasonBytes) };
    }
    default:
      throw new DecodeError(DecodeReason.INVALID_ENCODING, `frame type ${bytes[0]}`);
  }
}
