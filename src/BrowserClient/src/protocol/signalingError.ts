/** Why a frame could not be decoded. The names are the same as the C# `SignalingErrorKind` and the golden vectors. */
export const SignalingErrorKind = {
  /** The frame has no bytes. */
  Empty: 'Empty',
  /** The type byte is not a message type of protocol version 1. */
  UnknownType: 'UnknownType',
  /** The frame ends inside a fixed-size field. */
  Truncated: 'Truncated',
  /** A length field points past the end of the frame. */
  LengthOutOfRange: 'LengthOutOfRange',
  /** A text field is not valid UTF-8. */
  InvalidUtf8: 'InvalidUtf8',
  /** A JSON field is not exactly one well-formed JSON value. */
  InvalidJson: 'InvalidJson',
  /** Well-formed JSON with a value the message does not allow (e.g. an id outside the u32 range). */
  InvalidValue: 'InvalidValue',
  /** Bytes remain after a message that has a fixed end. */
  TrailingBytes: 'TrailingBytes',
  /** The frame is larger than the configured limit. */
  TooLarge: 'TooLarge',
} as const;

export type SignalingErrorKind = (typeof SignalingErrorKind)[keyof typeof SignalingErrorKind];

/** A decoding failure: the kind, for programs, and a detail, for people reading logs. */
export interface SignalingError {
  readonly kind: SignalingErrorKind;
  readonly detail: string;
}

export function signalingError(kind: SignalingErrorKind, detail: string): SignalingError {
  return { kind, detail };
}
