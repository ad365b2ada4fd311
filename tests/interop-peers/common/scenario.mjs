// The full data-channel scenario shared by the Node peers that expose the W3C RTCDataChannel API
// (@roamhq/wrtc, werift). The answerer side of each step is described in ../README.md ("Data-channel behaviour").
//   1. `game` (unordered, maxRetransmits 0): a string and a binary message come back.
//   2. `chat` (reliable, ordered): a string, an empty string and 256 binary bytes come back in order and unchanged.
//   3. `bulk`: 1 MiB of the pattern byte(i) = i % 251 in 1024-byte messages, then `END`; the answerer replies
//      "<messages> <bytes> <sha256>", which is checked here against our own hash.
//   4. `download`: `GET 1048576` → the answerer sends 1 MiB of the same pattern, checked byte for byte, then `END ...`.
//   5. Close: `close-me` on `chat` makes the answerer close it (we wait for onclose); we close `download` ourselves.
// Resolves with a one-line summary; rejects with the first mismatch. Runs in Node 20 and in the browser (the
// Chromium page imports it from the answerer at /common/scenario.mjs): only Web APIs, SHA-256 via WebCrypto.

export const TOTAL = 1 << 20;
const pattern = (i) => i % 251;

export function toBytes(data) {
  if (typeof data === "string") return null;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error("unexpected message type " + Object.prototype.toString.call(data));
}

function nextMessage(dc, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no message on ${dc.label} within ${timeoutMs} ms`)), timeoutMs);
    dc.onmessage = (e) => { clearTimeout(t); dc.onmessage = null; resolve(e.data); };
  });
}

const opened = (dc) => dc.readyState === "open" ? Promise.resolve() : new Promise((resolve) => { dc.onopen = () => resolve(); });
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (bytes) => hex(await globalThis.crypto.subtle.digest("SHA-256", bytes));
const sameBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// options.skipEmptyString: werift 0.24 sends "" as a zero-length DATA chunk with PPID 51 instead of PPID 56
// (RFC 8831 §6.6), which RFC 9260 §6.2 makes a protocol violation ("No User Data"); that step is left out for it.
export async function runScenario(pc, log, options = {}) {
  const t0 = Date.now();
  const game = pc.createDataChannel("game", { ordered: false, maxRetransmits: 0 });
  const chat = pc.createDataChannel("chat");
  const bulk = pc.createDataChannel("bulk");
  const download = pc.createDataChannel("download");
  for (const dc of [game, chat, bulk, download]) dc.binaryType = "arraybuffer";
  return {
    run: async () => {
      await Promise.all([opened(game), opened(chat), opened(bulk), opened(download)]);
      const openMs = Date.now() - t0;
      log(`all channels open after ${openMs} ms (game id=${game.id})`);

      game.send("hello unreliable");
      const g1 = await nextMessage(game);
      if (g1 !== "hello unreliable") throw new Error("game string echo: " + g1);
      game.send(new Uint8Array([1, 2, 3]));
      const g2 = toBytes(await nextMessage(game));
      if (!g2 || !sameBytes(g2, [1, 2, 3])) throw new Error("game binary echo mismatch");

      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      for (const [msg, check] of [["hello reliable", (d) => d === "hello reliable"],
        ...(options.skipEmptyString ? [] : [["", (d) => d === ""]]), [all, (d) => { const b = toBytes(d); return b && sameBytes(b, all); }]]) {
        chat.send(msg);
        const echo = await nextMessage(chat);
        if (!check(echo)) throw new Error("chat echo mismatch for " + (typeof msg === "string" ? JSON.stringify(msg) : "binary"));
      }
      log("echo ok on game and chat");

      const tUp = Date.now();
      const upload = Uint8Array.from({ length: TOTAL }, (_, i) => pattern(i));
      const ack = nextMessage(bulk, 20000);
      // Keep the sender's own buffer bounded (Chromium closes a channel whose bufferedAmount passes 16 MiB).
      // Polled rather than onbufferedamountlow, which not every peer implements.
      for (let off = 0; off < TOTAL; off += 1024) {
        while (bulk.bufferedAmount > 1024 * 1024) await new Promise((r) => setTimeout(r, 2));
        bulk.send(upload.slice(off, off + 1024));
      }
      bulk.send("END");
      const expected = `${TOTAL / 1024} ${TOTAL} ${await sha256(upload)}`;
      const reply = await ack;
      if (reply !== expected) throw new Error(`bulk ack ${reply}, expected ${expected}`);
      const upMs = Date.now() - tUp;
      log(`bulk ack ${reply} after ${upMs} ms`);

      const tDown = Date.now();
      let received = 0, mismatch = -1;
      const down = new Uint8Array(TOTAL);
      const end = await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`download stalled at ${received} bytes`)), 20000);
        download.onmessage = (e) => {
          if (typeof e.data === "string") { clearTimeout(t); resolve(e.data); return; }
          const b = toBytes(e.data);
          if (received + b.length <= TOTAL) down.set(b, received);
          for (let i = 0; i < b.length && mismatch < 0; i++) if (b[i] !== pattern(received + i)) mismatch = received + i;
          received += b.length;
        };
        download.send("GET " + TOTAL);
      });
      const want = `END ${TOTAL} ${await sha256(down)}`;
      if (mismatch >= 0 || received !== TOTAL || end !== want) throw new Error(`download: ${received} bytes, mismatch at ${mismatch}, got ${end}, want ${want}`);
      const downMs = Date.now() - tDown;
      log(`download ok ${received} bytes after ${downMs} ms`);

      await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("chat not closed by the answerer")), 10000);
        chat.onclose = () => { clearTimeout(t); resolve(); };
        chat.send("close-me");
      });
      await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("download close did not complete")), 10000);
        download.onclose = () => { clearTimeout(t); resolve(); };
        download.close();
      });
      log("chat closed by the answerer; download closed by us");
      return `open=${openMs}ms up=${upMs}ms down=${downMs}ms`;
    },
  };
}
