/**
 * The first byte of every protocol version 1 frame (byte-compatible with Enslavism 0.9). Names are from the sender's
 * view: a client sends `OfferToSlave`; the master relays the same bytes to the slave as `OfferFromClient`.
 */
export const SignalingMessageType = {
  Register: 0,
  AddSlaves: 1,
  RemoveSlaves: 2,
  OfferToSlave: 3,
  OfferFromClient: 4,
  AnswerToClient: 5,
  AnswerFromSlave: 6,
  IceCandidateToSlave: 7,
  IceCandidateFromClient: 8,
  IceCandidateToClient: 9,
  IceCandidateFromSlave: 10,
  RejectToClient: 11,
  RejectFromSlave: 12,
} as const;

export type SignalingMessageTypeName = keyof typeof SignalingMessageType;

/** Type byte to name; index 0–12. */
export const signalingMessageTypeNames: readonly SignalingMessageTypeName[] = Object.keys(SignalingMessageType) as SignalingMessageTypeName[];
