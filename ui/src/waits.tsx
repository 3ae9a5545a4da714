// The expected wait at the mairie's counters, as the server last said it
// (computed there, kept by the core with its age, and no more once it is an
// hour old): the orient step's line per counter and its warning near closing
// time, in French for the greeter.
import { useEffect, useState } from "preact/hooks";
import type { CounterWaits, ServiceWait } from "./bindings";

/**
 * The last figures kept, at once, then the server's fresh ones when it
 * answers (`refresh`, asked again every 15 s while shown); the newer stays.
 */
export function useCounterWaits(stored: () => Promise<CounterWaits | null>, refresh?: () => Promise<CounterWaits | null>): CounterWaits | null {
  const [waits, setWaits] = useState<CounterWaits | null>(null);
  useEffect(() => {
    let live = true;
    const keep = (w: CounterWaits | null) => {
      if (live && w) setWaits((old) => (old && old.fetched_at > w.fetched_at ? old : w));
    };
    stored().then(keep, () => {});
    const ask = () => refresh?.().then(keep, () => {});
    ask();
    const timer = refresh ? setInterval(ask, REFRESH_MS) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return waits;
}

/** How often the figures are asked again while the orient step is open. */
const REFRESH_MS = 15_000;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

/** The wait, in French: the range or why it is unknown, then the queue and the counters. */
export function waitWords(w: ServiceWait): string {
  const range = w.range
    ? `${w.range.optimistic} à ${w.range.pessimistic} min d'attente`
    : `Attente inconnue (${w.open_counters === 0 ? "aucun guichet ouvert" : "trop peu de visiteurs reçus aujourd'hui"})`;
  const queue = w.waiting === 0 ? "personne en attente" : plural(w.waiting, "personne en attente", "personnes en attente");
  const counters = w.open_counters === 0 ? "aucun guichet ouvert" : plural(w.open_counters, "guichet ouvert", "guichets ouverts");
  return w.range ? `${range} · ${queue} · ${counters}` : `${range} · ${queue}`;
}

/** How old the figure is: « à l'instant », « il y a 7 min ». */
export function ageWords(fetchedAt: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(fetchedAt)) / 60_000);
  return minutes < 1 ? "à l'instant" : `il y a ${minutes} min`;
}

/** The orient step's line for one counter. */
export function WaitLine({ waits, service, now }: { waits: CounterWaits | null; service: string; now: number }) {
  const w = waits?.board.services.find((s) => s.service === service);
  if (!w || !waits) return null;
  return (
    <>
      <span class="wait">
        {waitWords(w)} <span class="age">({ageWords(waits.fetched_at, now)})</span>
      </span>
      {w.past_closing && <span class="wait-warning">⚠ L'attente peut dépasser l'heure de fermeture du guichet</span>}
    </>
  );
}
