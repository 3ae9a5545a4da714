// « Écran d'appel »: the waiting-room display on a TV in kiosk mode. The
// latest call very large, the five before it below, a chime and the call
// spoken in French where the browser has a French voice (the screen says
// which). Codes and counters only: nothing about anyone. When the server is
// not heard for 5 s, a banner says so and nothing is announced.
import { useEffect, useRef, useState } from "preact/hooks";
import type { DisplayView } from "../bindings";
import type { ScreenBackend } from "../backend";
import { BackendError } from "../backend";
import { errorText } from "../app";
import { CallAnnouncer, type Voice } from "./announcer";
import { ScreenEnrolment } from "./enrol";

/** What the screen can do with sound: nothing until a tap (browsers' autoplay rules), then a voice or a chime alone. */
type Sound = "off" | "voice" | "chime";

/** What tests read of the announcements: every chime and every sentence, in order. */
type Heard = { kind: "chime" | "speech"; text: string; voice: boolean; at: number };
declare global {
  interface Window {
    __volantHeard?: Heard[];
  }
}

function frenchVoice(): SpeechSynthesisVoice | null {
  if (!("speechSynthesis" in window)) return null;
  return speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith("fr")) ?? null;
}

/** The chime (two notes, made on the spot: no sound file) and the French voice, when there is one. */
function roomVoice(audio: AudioContext | null, sound: () => Sound): Voice {
  const heard = (h: Omit<Heard, "at">) => (window.__volantHeard ??= []).push({ ...h, at: Date.now() });
  return {
    async chime() {
      if (sound() === "off") return;
      heard({ kind: "chime", text: "", voice: false });
      if (!audio) return;
      const t = audio.currentTime;
      for (const [i, f] of [660, 880].entries()) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = f;
        gain.gain.setValueAtTime(0.0001, t + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.4, t + i * 0.35 + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.35 + 0.6);
        osc.connect(gain).connect(audio.destination);
        osc.start(t + i * 0.35);
        osc.stop(t + i * 0.35 + 0.65);
      }
      await new Promise((r) => setTimeout(r, 1000));
    },
    async say(text) {
      if (sound() === "off") return;
      const voice = sound() === "voice" ? frenchVoice() : null;
      heard({ kind: "speech", text, voice: !!voice });
      if (!voice) return;
      await new Promise<void>((resolve) => {
        const u = new SpeechSynthesisUtterance(text);
        u.voice = voice;
        u.lang = voice.lang;
        u.rate = 0.9;
        u.onend = () => resolve();
        u.onerror = () => resolve();
        speechSynthesis.speak(u);
      });
    },
  };
}

/** The number's height, in % of the screen's height (`?hauteur=40`): about 3 % of the room's depth. */
function codeHeight(): number {
  const asked = Number(new URLSearchParams(location.search).get("hauteur"));
  return Number.isFinite(asked) && asked >= 10 && asked <= 60 ? asked : 30;
}

export function CallDisplay({ backend }: { backend: ScreenBackend }) {
  const [view, setView] = useState<DisplayView | null>(null);
  const [enrolled, setEnrolled] = useState<boolean | null>(null);
  const [online, setOnline] = useState(true);
  const [sound, setSound] = useState<Sound>("off");
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<number | null>(null);
  const soundRef = useRef<Sound>("off");
  const audio = useRef<AudioContext | null>(null);
  const announcer = useRef<CallAnnouncer | null>(null);
  const onlineRef = useRef(true);
  soundRef.current = sound;
  announcer.current ??= new CallAnnouncer(roomVoice(null, () => soundRef.current));

  const load = () =>
    backend
      .displayCalls()
      .then((v) => {
        setView(v);
        setEnrolled(true);
        setError(null);
        if (onlineRef.current) announcer.current?.offer(v.calls, v.server_time);
      })
      .catch((e) => {
        if (e instanceof BackendError && (e.code === "unauthenticated" || e.code === "revoked")) setEnrolled(false);
        else if (e instanceof BackendError && e.code === "forbidden") location.assign("/guichet");
        else setError(errorText(e));
      });
  const link = (up: boolean) => {
    onlineRef.current = up;
    if (!up) announcer.current?.drop();
    setOnline(up);
  };
  useEffect(() => { load(); }, []);
  useEffect(() => (enrolled ? backend.watch(load, link) : undefined), [enrolled]);
  useEffect(() => { document.title = "Volant — écran d'appel"; }, []);

  // A new call flashes twice a second, four times, then stays still (≤ 3 flashes/s, over within 5 s).
  const latest = view?.calls[0];
  // Below it, the tickets called before, each once at its latest call (a recall is not listed twice).
  const previous = (view?.calls ?? []).filter((c, i, all) => c.code !== latest?.code && all.findIndex((o) => o.code === c.code) === i);
  useEffect(() => {
    if (!latest) return;
    setFlash(latest.event);
    const t = setTimeout(() => setFlash(null), 4000);
    return () => clearTimeout(t);
  }, [latest?.event]);

  const enableSound = async () => {
    const Context = window.AudioContext;
    audio.current = Context ? new Context() : null;
    await audio.current?.resume().catch(() => {});
    announcer.current = new CallAnnouncer(roomVoice(audio.current, () => soundRef.current));
    if (view) announcer.current.offer(view.calls, view.server_time);
    const pick = () => setSound(frenchVoice() ? "voice" : "chime");
    pick();
    if ("speechSynthesis" in window) speechSynthesis.addEventListener("voiceschanged", pick);
  };

  if (enrolled === false) return <ScreenEnrolment backend={backend} kind="display" onEnrolled={load} />;
  return (
    <main id="contenu" class="display" style={{ "--code-height": `${codeHeight()}vh` }}>
      <h1 class="visually-hidden">Appels {view ? `— ${view.room}` : ""}</h1>
      {(!online || error) && (
        <p class="display-banner" role="alert">
          Connexion au serveur perdue : les appels affichés ne sont peut-être plus à jour. Reconnexion en cours…
        </p>
      )}
      {latest ? (
        <section class={flash === latest.event ? "display-latest flash" : "display-latest"} aria-labelledby="appel-en-cours">
          <h2 id="appel-en-cours" class="visually-hidden">Dernier appel</h2>
          <p class="display-code" lang="fr">{latest.code}</p>
          <p class="display-counter">{latest.counter}</p>
        </section>
      ) : (
        <section class="display-latest" aria-labelledby="appel-en-cours">
          <h2 id="appel-en-cours" class="visually-hidden">Dernier appel</h2>
          <p class="display-waiting">{view ? "Aucun appel pour l'instant" : "Connexion au serveur…"}</p>
        </section>
      )}
      <section class="display-previous" aria-labelledby="appels-precedents">
        <h2 id="appels-precedents">Appels précédents</h2>
        {previous.length > 0 ? (
          <ol>
            {previous.slice(0, 5).map((c) => (
              <li key={c.event}><span class="display-prev-code">{c.code}</span> <span aria-hidden="true">→</span><span class="visually-hidden">au</span> {c.counter}</li>
            ))}
          </ol>
        ) : <p>Aucun</p>}
      </section>
      <footer class="display-sound">
        {sound === "off" ? (
          <button type="button" class="primary" onClick={enableSound}>Activer le son</button>
        ) : null}
        <p class="badge">
          {sound === "off" ? "Son coupé : toucher « Activer le son »" : sound === "voice" ? "Carillon et voix française" : "Carillon seul : pas de voix française sur cet écran"}
        </p>
      </footer>
    </main>
  );
}
