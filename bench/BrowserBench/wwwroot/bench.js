/*
 * Data-channel benchmark page logic (ES module). Served by the BrowserBench harness with COOP/COEP headers, so the page
 * is cross-origin isolated and performance.now() has ~5 µs resolution instead of ~100 µs (sub-millisecond RTTs would
 * otherwise come out quantised).
 *
 * Roles
 *   runBench(cfg) with cfg.mode = "loop":   pc1 (offerer) and pc2 (answerer) live in this page and trickle ICE to each
 *                                           other; pc2 runs the JS responder below. This is the Chrome<->Chrome anchor.
 *   runBench(cfg) with cfg.mode = "remote": this page is the offerer; the answer comes from window.benchSignal(offerSdp),
 *                                           a function the harness exposes (Playwright ExposeFunctionAsync) that
 *                                           returns the answer SDP of a remote peer (later: our .NET slave).
 *   answerOffer(offerSdp):                  makes this page a remote answerer running the JS responder (used by the
 *                                           harness's "chrome-remote" subject to exercise the remote path end to end).
 *
 * Channels (all created by the offerer, opened in-band with DCEP; the answerer tells them apart by label):
 *   ctl     reliable, ordered    text control protocol below
 *   rtt     reliable, ordered    echo: the peer sends every message back unchanged (binary stays binary)
 *   rtt-u   ordered:false, maxRetransmits:0   echo
 *   bulk    reliable, ordered    count: the peer counts bytes and messages received
 *   bulk-u  ordered:false, maxRetransmits:0   count
 *   Rule for the peer: label "ctl" -> control; label starting "rtt" -> echo; label starting "bulk" -> count (and
 *   the target of "send").
 *
 * Control protocol on "ctl" (UTF-8 text messages; the offerer sends one request and waits for its one reply, so
 * replies need no ids):
 *   "caps?"                 -> "caps echo count send"   (a peer that cannot send bulk data omits "send"; the
 *                                                        peer->browser measurements are then skipped)
 *   "reset LABEL"           -> "ok"                     zero the counters of bulk channel LABEL
 *   "count? LABEL"          -> "N bytes M msgs T us"    N bytes and M messages received on LABEL since the reset, T =
 *                                                        microseconds between the first and the last of them on the
 *                                                        peer's own clock (0 if fewer than 2)
 *   "send LABEL N S"        -> "sent N msgs"            the peer sends N binary messages of S bytes each on LABEL,
 *                                                        honouring its own send-buffer limit, and replies once the
 *                                                        last one has been handed to its transport
 *   anything else           -> "error <text>"
 *
 * Every wait in here has a time limit, so a broken peer makes a run fail with an error instead of hanging it.
 */

const HIGH_WATER = 1 << 20; // stop calling send() above 1 MiB queued...
const LOW_WATER = 256 << 10; // ...and resume when the queue drains below 256 KiB
const OPEN_TIMEOUT_MS = 10_000;
const REPLY_TIMEOUT_MS = 10_000;
// A send queue that does not drain for this long means the peer stopped reading. Generous because a 2-core machine
// shared with builds can starve a renderer for seconds.
const STALL_TIMEOUT_MS = 30_000;
const SEND_TIMEOUT_MS = 120_000; // the peer's whole "send N of size S" (at most downBytes)
const UNRELIABLE_QUIET_MS = 300; // unreliable receive is over when nothing new arrived for this long

const CHANNELS = [
  { label: 'ctl', opts: { ordered: true } },
  { label: 'rtt', opts: { ordered: true } },
  { label: 'rtt-u', opts: { ordered: false, maxRetransmits: 0 } },
  { label: 'bulk', opts: { ordered: true } },
  { label: 'bulk-u', opts: { ordered: false, maxRetransmits: 0 } },
];

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function once(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

function waitOpen(ch) {
  if (ch.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    ch.addEventListener('open', () => resolve(), { once: true });
    ch.addEventListener('close', () => reject(new Error(`channel ${ch.label} closed before opening`)), { once: true });
  });
}

const sizeOf = (data) => (typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength);

/** Counts what arrives on a channel; first/last are receive times on this page's clock. */
function makeCounter() {
  return { bytes: 0, msgs: 0, first: 0, last: 0 };
}

function count(counter, data) {
  const t = now();
  if (counter.msgs === 0) counter.first = t;
  counter.last = t;
  counter.msgs += 1;
  counter.bytes += sizeOf(data);
}

/**
 * Sends messages of `size` bytes until `durationMs` has passed or `total` messages went out, keeping at most
 * HIGH_WATER bytes queued, then waits until the queue is empty. Returns what was handed to the channel.
 */
async function blast(ch, size, { durationMs, total }) {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = i & 0xff;
  ch.bufferedAmountLowThreshold = LOW_WATER;
  let sent = 0;
  const t0 = now();
  for (;;) {
    if (total !== undefined ? sent >= total : now() - t0 >= durationMs) break;
    if (ch.readyState !== 'open') throw new Error(`channel ${ch.label} is ${ch.readyState} while sending`);
    if (ch.bufferedAmount >= HIGH_WATER) {
      // The listener is added before control returns to the event loop, so the event cannot be missed.
      await withTimeout(
        once(ch, 'bufferedamountlow'),
        STALL_TIMEOUT_MS,
        `${ch.label} send queue drain (${ch.bufferedAmount} bytes queued, ${sent} msgs sent)`,
      );
      continue;
    }
    ch.send(payload);
    sent += 1;
  }
  const tSent = now();
  if (ch.bufferedAmount > 0) {
    ch.bufferedAmountLowThreshold = 0;
    await withTimeout(once(ch, 'bufferedamountlow'), STALL_TIMEOUT_MS, `${ch.label} final drain`);
  }
  return { sent, bytes: sent * size, sendMs: tSent - t0, drainedMs: now() - t0 };
}

/**
 * The peer side of the protocol, used by loop mode's pc2 and by answerOffer(). A remote implementation (our .NET
 * slave) must behave the same way on the wire.
 */
function attachResponder(ch) {
  ch.binaryType = 'arraybuffer';
  if (ch.label.startsWith('rtt')) {
    ch.onmessage = (e) => ch.send(e.data);
    return;
  }
  if (ch.label.startsWith('bulk')) {
    const counter = makeCounter();
    responderCounters.set(ch.label, counter);
    responderChannels.set(ch.label, ch);
    ch.onmessage = (e) => count(counter, e.data);
    return;
  }
  if (ch.label === 'ctl') {
    ch.onmessage = (e) => {
      handleControl(String(e.data)).then(
        (reply) => ch.send(reply),
        (err) => ch.send(`error ${err.message}`),
      );
    };
  }
}

// One responder per page is enough: loop mode and answerOffer() each keep a single live connection.
const responderCounters = new Map();
const responderChannels = new Map();

async function handleControl(text) {
  const [cmd, ...args] = text.trim().split(/\s+/);
  switch (cmd) {
    case 'caps?':
      return 'caps echo count send';
    case 'reset': {
      const c = responderCounters.get(args[0]);
      if (!c) throw new Error(`no bulk channel ${args[0]}`);
      Object.assign(c, makeCounter());
      return 'ok';
    }
    case 'count?': {
      const c = responderCounters.get(args[0]);
      if (!c) throw new Error(`no bulk channel ${args[0]}`);
      const spanUs = c.msgs > 1 ? Math.round((c.last - c.first) * 1000) : 0;
      return `${c.bytes} bytes ${c.msgs} msgs ${spanUs} us`;
    }
    case 'send': {
      const ch = responderChannels.get(args[0]);
      const n = Number(args[1]);
      const size = Number(args[2]);
      if (!ch || !(n >= 0) || !(size > 0)) throw new Error(`bad send: ${text}`);
      const r = await blast(ch, size, { total: n });
      return `sent ${r.sent} msgs`;
    }
    default:
      throw new Error(`unknown command: ${text}`);
  }
}

/** Request/reply client for the ctl channel: one outstanding request at a time. */
function makeControl(ch) {
  let waiting = null;
  ch.onmessage = (e) => {
    const w = waiting;
    waiting = null;
    if (w) w(String(e.data));
  };
  return async (text, timeoutMs = REPLY_TIMEOUT_MS) => {
    if (waiting) throw new Error('ctl request already outstanding');
    const reply = new Promise((resolve) => {
      waiting = resolve;
    });
    ch.send(text);
    const r = await withTimeout(reply, timeoutMs, `reply to "${text}"`);
    if (r.startsWith('error')) throw new Error(`peer: ${r}`);
    return r;
  };
}

function parseCount(reply) {
  const m = /^(\d+) bytes (\d+) msgs(?: (\d+) us)?$/.exec(reply);
  if (!m) throw new Error(`bad count reply: ${reply}`);
  return { bytes: Number(m[1]), msgs: Number(m[2]), spanUs: m[3] === undefined ? 0 : Number(m[3]) };
}

function stats(samples) {
  if (samples.length === 0) return { n: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, median: at(0.5), p99: at(0.99), mean, min: s[0], max: s[s.length - 1] };
}

/** Sequential pings of 16 bytes: the next goes out when the echo of the previous is back, or after 1 s (lost). */
async function measureRtt(ch, pings, warmup) {
  ch.binaryType = 'arraybuffer';
  const buf = new ArrayBuffer(16);
  const view = new DataView(buf);
  let expect = -1;
  let resolveEcho = null;
  ch.onmessage = (e) => {
    if (typeof e.data === 'string' || e.data.byteLength !== 16) return;
    if (new DataView(e.data).getUint32(0) === expect && resolveEcho) resolveEcho(now());
  };
  const samples = [];
  let lost = 0;
  for (let i = 0; i < warmup + pings; i++) {
    expect = i;
    view.setUint32(0, i);
    const echo = new Promise((resolve) => {
      resolveEcho = resolve;
    });
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(-1), 1000);
    });
    const t0 = now();
    ch.send(buf);
    const t1 = await Promise.race([echo, timeout]);
    clearTimeout(timer);
    resolveEcho = null;
    if (i < warmup) continue;
    if (t1 < 0) lost += 1;
    else samples.push(t1 - t0);
  }
  ch.onmessage = null;
  const st = stats(samples);
  return { ...st, lost, sent: pings };
}

/** Browser -> peer: blast for durationMs, then ask the peer what arrived (reliable: all of it; unreliable: quiet). */
async function measureUp(ctl, ch, size, durationMs, reliable) {
  await ctl(`reset ${ch.label}`);
  const s = await blast(ch, size, { durationMs });
  const deadline = now() + STALL_TIMEOUT_MS;
  let c = parseCount(await ctl(`count? ${ch.label}`));
  let lastChange = now();
  while (now() < deadline) {
    if (reliable ? c.bytes >= s.bytes : now() - lastChange >= UNRELIABLE_QUIET_MS) break;
    await sleep(reliable ? 10 : 50);
    const next = parseCount(await ctl(`count? ${ch.label}`));
    if (next.msgs !== c.msgs) lastChange = now();
    c = next;
  }
  if (reliable && c.bytes < s.bytes) throw new Error(`${ch.label}: peer got ${c.bytes} of ${s.bytes} bytes`);
  // A peer that reports no receive span (fewer than 2 messages, or a minimal implementation) is timed by the sender.
  return rate(c.bytes, c.msgs, c.spanUs > 0 ? c.spanUs / 1000 : s.drainedMs, s.sent, s);
}

/** Peer -> browser: ask the peer to send total messages, count them here (reliable: all; unreliable: until quiet). */
async function measureDown(ctl, ch, counter, size, total, reliable) {
  Object.assign(counter, makeCounter());
  // The reply comes only after the peer has sent everything, which on a starved machine takes long.
  await ctl(`send ${ch.label} ${total} ${size}`, SEND_TIMEOUT_MS);
  const deadline = now() + STALL_TIMEOUT_MS;
  let seen = counter.msgs;
  let lastChange = now();
  while (now() < deadline) {
    if (reliable ? counter.msgs >= total : now() - lastChange >= UNRELIABLE_QUIET_MS) break;
    await sleep(reliable ? 5 : 25);
    if (counter.msgs !== seen) {
      seen = counter.msgs;
      lastChange = now();
    }
  }
  if (reliable && counter.msgs < total) throw new Error(`${ch.label}: got ${counter.msgs} of ${total} messages`);
  return rate(counter.bytes, counter.msgs, counter.last - counter.first, total, null);
}

function rate(bytes, msgs, spanMs, sentMsgs, senderStats) {
  const s = spanMs / 1000;
  return {
    bytes,
    msgs,
    sentMsgs,
    spanMs,
    mbPerS: s > 0 ? bytes / 1e6 / s : 0, // MB = 10^6 bytes, as in the reference anchors
    msgPerS: s > 0 ? msgs / s : 0,
    lossPct: sentMsgs > 0 ? (100 * (sentMsgs - msgs)) / sentMsgs : 0,
    sender: senderStats,
  };
}

function gatheringComplete(pc, ms) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  const done = new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  return withTimeout(done, ms, 'ICE gathering');
}

/** The selected candidate pair, to show that traffic really ran over 127.0.0.1. */
async function selectedPair(pc) {
  const report = await pc.getStats();
  let transport = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) transport = s;
  });
  if (!transport) return null;
  const pair = report.get(transport.selectedCandidatePairId);
  const l = report.get(pair.localCandidateId);
  const r = report.get(pair.remoteCandidateId);
  return `${l.candidateType} ${l.address}:${l.port} ${l.protocol} <-> ${r.candidateType} ${r.address}:${r.port}`;
}

/** Connects and returns { pc, channels, setup, cleanup }. */
async function connect(cfg) {
  const config = { iceServers: [] }; // loopback only: no STUN/TURN servers to contact
  const pc = new RTCPeerConnection(config);
  const channels = {};
  for (const spec of CHANNELS) channels[spec.label] = pc.createDataChannel(spec.label, spec.opts);
  const opened = Promise.all(Object.values(channels).map(waitOpen));
  const setup = {};
  let peer = null;

  if (cfg.mode === 'loop') {
    peer = new RTCPeerConnection(config);
    // Trickle ICE inside the page: each candidate goes straight to the other side.
    pc.onicecandidate = (e) => e.candidate && peer.addIceCandidate(e.candidate).catch(() => {});
    peer.onicecandidate = (e) => e.candidate && pc.addIceCandidate(e.candidate).catch(() => {});
    peer.ondatachannel = (e) => attachResponder(e.channel);
    const t0 = now();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await peer.setRemoteDescription(offer);
    const answer = await peer.createAnswer();
    await peer.setLocalDescription(answer);
    await pc.setRemoteDescription(answer);
    setup.answerMs = now() - t0;
    await withTimeout(opened, OPEN_TIMEOUT_MS, 'channels open');
    setup.totalMs = now() - t0;
  } else if (cfg.mode === 'remote') {
    if (typeof window.benchSignal !== 'function') throw new Error('remote mode needs window.benchSignal');
    const t0 = now();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    // An ICE-lite answerer never sends checks, so it needs none of our candidates: by default the offer goes out at
    // once. A full-ICE answerer that needs them can ask for gather = "complete" (costs Chrome's ~125 ms gathering).
    if (cfg.gather === 'complete') await gatheringComplete(pc, 5000);
    setup.gatherMs = now() - t0;
    const t1 = now();
    const answerSdp = await withTimeout(window.benchSignal(pc.localDescription.sdp), 10_000, 'benchSignal');
    setup.signalMs = now() - t1;
    const t2 = now();
    await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await withTimeout(opened, OPEN_TIMEOUT_MS, 'channels open');
    setup.answerToOpenMs = now() - t2;
    setup.totalMs = now() - t0;
  } else {
    throw new Error(`unknown mode ${cfg.mode}`);
  }

  const cleanup = () => {
    for (const ch of Object.values(channels)) ch.close();
    pc.close();
    if (peer) peer.close();
  };
  return { pc, channels, setup, cleanup };
}

/** Runs one measurement and names it in any error, so a failed run says where it stopped. */
async function phase(name, fn) {
  try {
    return await fn();
  } catch (e) {
    throw new Error(`${name}: ${e.message}`);
  }
}

/**
 * One benchmark run: connect, RTT on both echo channels, throughput both ways for each size on both bulk channels.
 * Returns plain JSON: `metrics` is a flat name -> number map for the harness's table, `detail` has everything.
 */
export async function runBench(cfg) {
  const c = {
    mode: 'loop',
    pings: 2000,
    pingWarmup: 100,
    durationMs: 3000,
    sizes: [1024, 16384],
    downBytes: 64e6,
    gather: 'none',
    ...cfg,
  };
  const conn = await connect(c);
  try {
    const { channels } = conn;
    for (const ch of Object.values(channels)) ch.binaryType = 'arraybuffer';
    const ctl = makeControl(channels.ctl);
    const caps = (await ctl('caps?')).split(/\s+/).slice(1);
    const downCounters = {};
    for (const label of ['bulk', 'bulk-u']) {
      downCounters[label] = makeCounter();
      channels[label].onmessage = (e) => count(downCounters[label], e.data);
    }

    const detail = {
      mode: c.mode,
      crossOriginIsolated: window.crossOriginIsolated,
      userAgent: navigator.userAgent,
      caps,
      setup: conn.setup,
      pair: await selectedPair(conn.pc),
      rtt: {},
      up: {},
      down: {},
    };
    const metrics = { setup_ms: conn.setup.totalMs };
    if (conn.setup.answerToOpenMs !== undefined) metrics.setup_answer_to_open_ms = conn.setup.answerToOpenMs;

    for (const [label, key] of [
      ['rtt', 'rel'],
      ['rtt-u', 'unrel'],
    ]) {
      const r = await phase(`rtt ${label}`, () => measureRtt(channels[label], c.pings, c.pingWarmup));
      detail.rtt[key] = r;
      metrics[`rtt_${key}_median_ms`] = r.median;
      metrics[`rtt_${key}_p99_ms`] = r.p99;
      metrics[`rtt_${key}_lost`] = r.lost;
    }

    for (const size of c.sizes) {
      for (const [label, key, reliable] of [
        ['bulk', 'rel', true],
        ['bulk-u', 'unrel', false],
      ]) {
        const name = `${key}_${size}`;
        const up = await phase(`up ${label} ${size}`, () => measureUp(ctl, channels[label], size, c.durationMs, reliable));
        detail.up[name] = up;
        metrics[`up_${name}_mbps`] = up.mbPerS;
        metrics[`up_${name}_msgps`] = up.msgPerS;
        if (!reliable) metrics[`up_${name}_loss_pct`] = up.lossPct;
        if (caps.includes('send') && c.downBytes > 0) {
          // The peer sends back as many messages as it received from the blast, so both directions move about the
          // same amount of data whatever the machine's speed; downBytes caps it.
          const total = Math.max(1, Math.min(up.msgs, Math.floor(c.downBytes / size)));
          const down = await phase(`down ${label} ${size}`, () =>
            measureDown(ctl, channels[label], downCounters[label], size, total, reliable),
          );
          detail.down[name] = down;
          metrics[`down_${name}_mbps`] = down.mbPerS;
          metrics[`down_${name}_msgps`] = down.msgPerS;
          if (!reliable) metrics[`down_${name}_loss_pct`] = down.lossPct;
        }
      }
    }
    return { metrics, detail };
  } finally {
    conn.cleanup();
  }
}

let answerer = null;

/** Remote-answerer role: answers one offer (closing the previous connection) and runs the JS responder on it. */
export async function answerOffer(offerSdp) {
  if (answerer) answerer.close();
  responderCounters.clear();
  responderChannels.clear();
  const pc = new RTCPeerConnection({ iceServers: [] });
  answerer = pc;
  pc.ondatachannel = (e) => attachResponder(e.channel);
  await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  await pc.setLocalDescription(await pc.createAnswer());
  // Non-trickle: the offerer gets one answer, so it must carry our candidates.
  await gatheringComplete(pc, 5000);
  return pc.localDescription.sdp;
}
