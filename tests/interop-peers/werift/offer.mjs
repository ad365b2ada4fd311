// werift (pure TypeScript) offerer running the full scenario of ../common/scenario.mjs.
// Usage: node offer.mjs [SIGNALING_BASE_URL]   (else $SIGNALING_URL, else http://127.0.0.1:8123)
import { RTCPeerConnection } from "werift";
import { runScenario } from "../common/scenario.mjs";
const base = (process.argv[2] ?? process.env.SIGNALING_URL ?? "http://127.0.0.1:8123").replace(/\/+$/, "");
const log = (m) => fetch(base + "/log", { method: "POST", body: "[werift] " + m });
setTimeout(async () => { await log("timeout"); process.exit(1); }, 25000);
// werift skips internal interfaces unless told otherwise; iceServers: [] replaces its default public STUN server.
const pc = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
const scenario = await runScenario(pc, log, { skipEmptyString: true });
await pc.setLocalDescription(await pc.createOffer());
await new Promise(r => setTimeout(r, 300)); // let host candidates gather (non-trickle signaling)
const ans = await (await fetch(base + "/offer", { method: "POST", body: pc.localDescription.sdp })).text();
await pc.setRemoteDescription({ type: "answer", sdp: ans });
try {
  const summary = await scenario.run();
  await fetch(base + "/done", { method: "POST", body: "werift ok " + summary });
  await pc.close(); process.exit(0);
} catch (e) { await log("ERROR " + (e?.stack ?? e)); await fetch(base + "/done", { method: "POST", body: "werift error" }); process.exit(1); }
