/** Limits applied while decoding (mirrors the C# `SignalingLimits`). */
export interface SignalingLimits {
  /** Frames longer than this are rejected with `TooLarge`. */
  readonly maxFrameBytes: number;
}

/** 64 KiB plus headers: room for any browser SDP and the largest user data. The master uses it for untrusted peers. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 + 16;

/** A client decoding frames from its master, which may send a large slave-list snapshot in one frame. */
export const FROM_MASTER_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const defaultSignalingLimits: SignalingLimits = Object.freeze({ maxFrameBytes: DEFAULT_MAX_FRAME_BYTES });
export const fromMasterSignalingLimits: SignalingLimits = Object.freeze({ maxFrameBytes: FROM_MASTER_MAX_FRAME_BYTES });
