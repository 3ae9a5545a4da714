// The visitor's one-tap opinion at the end of the visit: four faces, then
// « Avez-vous dû répéter votre situation ? », in the visitor's language. Each
// tap is recorded at once, on the tablet (it travels with the visit, offline
// too); nothing about the person. Once the visitor has tapped a face, the
// screen returns to the agent after 10 s without a tap, or soon after the
// last answer.
import { useEffect, useState } from "preact/hooks";
import type { Action, Opinion, Satisfaction } from "./bindings";
import type { Words } from "./i18n";
import { errorText } from "./app";

/** How long the screen waits for a tap once the visitor has begun. */
export const IDLE_RETURN_MS = 10_000;
/** How long the thanks stay on screen after the last answer. */
const THANKS_MS = 3_000;

const FACES: Satisfaction[] = ["very_dissatisfied", "dissatisfied", "satisfied", "very_satisfied"];
const MOUTHS = ["M8 17.5 Q12 13 16 17.5", "M8.5 16.5 Q12 14.5 15.5 16.5", "M8.5 15 Q12 17.5 15.5 15", "M7.5 14 Q12 19.5 16.5 14"];

function Face({ level }: { level: number }) {
  return (
    <svg viewBox="0 0 24 24" width="56" height="56" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10.5" fill="#fff8e1" stroke="currentColor" stroke-width="1.4" />
      <circle cx="8.5" cy="9.5" r="1.3" fill="currentColor" />
      <circle cx="15.5" cy="9.5" r="1.3" fill="currentColor" />
      <path d={MOUTHS[level]} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

export function OpinionPanel(props: { opinion: Opinion | undefined; words: Words; onRecord: (a: Action) => Promise<unknown>; onIdle: () => void }) {
  const { opinion, words } = props;
  const [error, setError] = useState<string | null>(null);
  const answered = opinion !== undefined && opinion.repeated_situation !== null;

  useEffect(() => {
    if (!opinion) return;
    let timer = setTimeout(props.onIdle, answered ? THANKS_MS : IDLE_RETURN_MS);
    const tapped = () => {
      clearTimeout(timer);
      timer = setTimeout(props.onIdle, IDLE_RETURN_MS);
    };
    document.addEventListener("pointerdown", tapped);
    document.addEventListener("keydown", tapped);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("pointerdown", tapped);
      document.removeEventListener("keydown", tapped);
    };
  }, [opinion?.satisfaction, opinion?.repeated_situation]);

  const record = (a: Action) => props.onRecord(a).then(() => setError(null)).catch((e) => setError(errorText(e)));
  return (
    <section class="opinion" aria-labelledby="v-opinion">
      <h2 id="v-opinion">{words.opinion}</h2>
      <div aria-live="polite">
        {!opinion && (
          <div role="group" aria-labelledby="v-how" class="faces">
            <p id="v-how">{words.howWasIt}</p>
            {FACES.map((face, i) => (
              <button type="button" key={face} class="face" data-face={face} onClick={() => record({ type: "rated", data: face })}>
                <Face level={i} />
                <span>{words.faces[i]}</span>
              </button>
            ))}
          </div>
        )}
        {opinion && !answered && (
          <div role="group" aria-labelledby="v-repeated" class="repeated">
            <p id="v-repeated">{words.repeated}</p>
            <button type="button" onClick={() => record({ type: "answered_repeat", data: true })}>{words.yes}</button>
            <button type="button" onClick={() => record({ type: "answered_repeat", data: false })}>{words.no}</button>
          </div>
        )}
        {answered && <p class="thanks">{words.thanks}</p>}
      </div>
      {error && <p class="error" role="alert" lang="fr" dir="ltr">{error}</p>}
    </section>
  );
}
