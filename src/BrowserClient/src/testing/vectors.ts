// Test helper: the shared golden vectors (tests/vectors/signaling-v1.json at the repository root).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JsonUserData } from '../protocol/jsonUserData.js';
import type { SignalingMessage } from '../protocol/messages.js';

export interface VectorMessage {
  type: string;
  userDataJson?: string;
  slaves?: { id: number; userDataJson: string }[];
  ids?: number[];
  id?: number;
  sdp?: string;
  candidate?: { sdpMid: string; sdpMLineIndex: number; candidate: string } | null;
}

export interface ValidVector { name: string; hex: string; message: VectorMessage; roundTrip?: boolean }
export interface MalformedVector { name: string; hex: string; error: string; maxFrameBytes?: number }

// npm test runs from the package folder (src/BrowserClient), two levels below the repository root.
const path = resolve(process.cwd(), '../../tests/vectors/signaling-v1.json');
const file = JSON.parse(readFileSync(path, 'utf8')) as { version: number; vectors: ValidVector[]; malformed: MalformedVector[] };

export const vectors = file.vectors;
export const malformed = file.malformed;

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The decoded message in the vectors' JSON shape. */
export function toVectorForm(message: SignalingMessage): VectorMessage {
  switch (message.type) {
    case 'Register':
      return { type: message.type, userDataJson: message.userData.json };
    case 'AddSlaves':
      return { type: message.type, slaves: message.slaves.map((s) => ({ id: s.id, userDataJson: s.userData.json })) };
    case 'RemoveSlaves':
      return { type: message.type, ids: [...message.ids] };
    case 'OfferToSlave':
    case 'OfferFromClient':
    case 'AnswerToClient':
    case 'AnswerFromSlave':
      return { type: message.type, id: message.id, sdp: message.sdp };
    case 'IceCandidateToSlave':
    case 'IceCandidateFromClient':
    case 'IceCandidateToClient':
    case 'IceCandidateFromSlave':
      return { type: message.type, id: message.id, candidate: message.candidate === null ? null : { ...message.candidate } };
    case 'RejectToClient':
    case 'RejectFromSlave':
      return { type: message.type, id: message.id };
  }
}

/** Builds the message a vector describes, for encoding. */
export function fromVectorForm(v: VectorMessage): SignalingMessage {
  const type = v.type as SignalingMessage['type'];
  switch (type) {
    case 'Register':
      return { type, userData: JsonUserData.parse(v.userDataJson!) };
    case 'AddSlaves':
      return { type, slaves: v.slaves!.map((s) => ({ id: s.id, userData: JsonUserData.parse(s.userDataJson) })) };
    case 'RemoveSlaves':
      return { type, ids: v.ids! };
    case 'OfferToSlave':
    case 'OfferFromClient':
    case 'AnswerToClient':
    case 'AnswerFromSlave':
      return { type, id: v.id!, sdp: v.sdp! };
    case 'IceCandidateToSlave':
    case 'IceCandidateFromClient':
    case 'IceCandidateToClient':
    case 'IceCandidateFromSlave':
      return { type, id: v.id!, candidate: v.candidate ?? null };
    case 'RejectToClient':
    case 'RejectFromSlave':
      return { type, id: v.id! };
  }
}
