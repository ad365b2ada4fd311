import type { JsonUserData } from './jsonUserData.js';

/**
 * An ICE candidate as browsers describe it (`RTCIceCandidateInit`). On the wire sdpMid is 1–255 UTF-8 bytes: a zero
 * length means "no candidate" (end of candidates). The candidate text may be empty.
 */
export interface IceCandidate {
  readonly sdpMid: string;
  readonly sdpMLineIndex: number;
  readonly candidate: string;
}

/** One slave in an AddSlaves frame. */
export interface SlaveEntry {
  readonly id: number;
  readonly userData: JsonUserData;
}

export interface RegisterMessage { readonly type: 'Register'; readonly userData: JsonUserData }
export interface AddSlavesMessage { readonly type: 'AddSlaves'; readonly slaves: readonly SlaveEntry[] }
export interface RemoveSlavesMessage { readonly type: 'RemoveSlaves'; readonly ids: readonly number[] }

/** `id` is the peer named by the frame: the slave for `*ToSlave`/`*FromSlave`, the client otherwise. */
export interface SdpMessage {
  readonly type: 'OfferToSlave' | 'OfferFromClient' | 'AnswerToClient' | 'AnswerFromSlave';
  readonly id: number;
  readonly sdp: string;
}

/** `candidate: null` is the end-of-candidates marker. */
export interface IceCandidateMessage {
  readonly type: 'IceCandidateToSlave' | 'IceCandidateFromClient' | 'IceCandidateToClient' | 'IceCandidateFromSlave';
  readonly id: number;
  readonly candidate: IceCandidate | null;
}

export interface RejectMessage {
  readonly type: 'RejectToClient' | 'RejectFromSlave';
  readonly id: number;
}

/** Every protocol version 1 message, discriminated by `type`. */
export type SignalingMessage =
  | RegisterMessage
  | AddSlavesMessage
  | RemoveSlavesMessage
  | SdpMessage
  | IceCandidateMessage
  | RejectMessage;
