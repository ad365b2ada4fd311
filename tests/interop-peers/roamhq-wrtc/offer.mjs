// @roamhq/wrtc (libwebrtc, node-webrtc successor) offerer running the full scenario of ../common/scenario.mjs.
// Usage: node offer.mjs [SIGNALING_BASE_URL]   (else $SIGNALING_URL, else http://127.0.0.1:8123)
import wrtc from "@roamhq/wrtc";
import { runScenario } from "../common/scenario.mjs";
const base = (process.argv[2] ?? process.env.SIGNALING_URL ?? "http://127.0.0.1:8123").replace(/\/+$/, "");
const log = (m) => fetch(base + "/log", { method: "POST", body: "[@roamhq/wrtc] " + m });
setTimeout(async () => { await log("timeout"); process.exit(1); }, 25000);
const pc = new wrtc.RTCPeerConnection({});
const scenario = await runScenario(pc, log);
await pc.setLocalDescription(await pc.createOffer());
const ans = await (await fetch(base + "/offer", { method: "POST", body: pc.localDescription.sdp })).text();
await pc.setRemoteDescription({ type: "answer", sdp: ans });
try {
  const summary = await scenario.run();
  await fetch(base + "/done", { method: "POST", body: "wrtc ok " + summary });
  pc.close(); process.exit(0);
} catch (e) { await log("ERROR " + (e?.stack ?? e)); await fetch(base + "/done", { method: "POST", body: "wrtc error" }); process.exit(1); }
