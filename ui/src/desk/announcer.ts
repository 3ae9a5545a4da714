// The call display's announcements: one serial queue, never interrupted,
// each call said twice, at most once per call (by its event id) on this
// screen, never replayed after a reconnection, nothing from stale data.

import type { Call } from "../bindings";

/** A call older than this when the screen hears of it is shown, not announced. */
const FRESH_MS = 30_000;
/** Silence between two announcements. */
const GAP_MS = 800;

/** « EA07 » said as « E A 7 »: letters one by one, the number as a number. */
export function spokenCode(code: string): string {
  const letters = code.match(/^[A-Z]+/)?.[0] ?? "";
  const number = code.slice(letters.length);
  return [...letters.split(""), number ? String(Number(number)) : ""].filter(Boolean).join(" ");
}

/** What the room hears: « Ticket E A 7, guichet 3 ». */
export function spokenCall(call: Call): string {
  const counter = call.counter.split(" — ")[0].trim();
  return `Ticket ${spokenCode(call.code)}, ${counter.charAt(0).toLowerCase()}${counter.slice(1)}`;
}

/** How the screen makes itself heard. */
export interface Voice {
  /** The chime before each call. */
  chime(): Promise<void>;
  /** Says `text` in French; resolves once said (at once when there is no voice). */
  say(text: string): Promise<void>;
}

export class CallAnnouncer {
  private seen = new Set<number>();
  private started = false;
  private queue: Call[] = [];
  private busy = false;

  constructor(private voice: Voice, private wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))) {}

  /**
   * The calls as the server has them now (newest first). The first offer only
   * marks what is already there: a screen just (re)started announces nothing old.
   */
  offer(calls: Call[], serverTime: string): void {
    const now = Date.parse(serverTime);
    const fresh = [...calls].reverse().filter((c) => !this.seen.has(c.event));
    for (const c of fresh) this.seen.add(c.event);
    if (!this.started) {
      this.started = true;
      return;
    }
    this.queue.push(...fresh.filter((c) => now - Date.parse(c.at) <= FRESH_MS));
    void this.drain();
  }

  /** The link is lost: what was queued is not said from stale data. */
  drop(): void {
    this.queue = [];
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let call = this.queue.shift(); call; call = this.queue.shift()) {
        await this.voice.chime();
        const text = spokenCall(call);
        await this.voice.say(text);
        await this.wait(GAP_MS / 2);
        await this.voice.say(text);
        await this.wait(GAP_MS);
      }
    } finally {
      this.busy = false;
    }
  }
}
