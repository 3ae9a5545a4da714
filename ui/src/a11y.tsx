// What every screen shares for keyboard and screen-reader users: one polite
// live region that exists before anything is said in it, the landing point
// focus moves to on every screen or step change, and labelled fields whose
// hints and errors are descriptions, never part of their names.
import { type ComponentChildren, createContext, type VNode, cloneElement } from "preact";
import { useContext, useEffect, useId, useLayoutEffect, useRef, useState } from "preact/hooks";

/** What was said last: shown as a notice, or only spoken. */
export type Announcement = { text: string; visible: boolean; n: number };

/** Says `text` in the live region; `visible: false` speaks it without showing it. */
export type Announce = (text: string, options?: { visible?: boolean }) => void;

const AnnounceContext = createContext<Announce>(() => {});

/** The announcer of the live region the screen sits in. */
export const useAnnounce = () => useContext(AnnounceContext);

/** The state behind one live region: what it says now, and how to say more. */
export function useAnnouncer(): { said: Announcement | null; announce: Announce; clear: () => void } {
  const [said, setSaid] = useState<Announcement | null>(null);
  const count = useRef(0);
  const announce: Announce = (text, options) => {
    count.current += 1;
    setSaid({ text, visible: options?.visible ?? true, n: count.current });
  };
  return { said, announce, clear: () => setSaid(null) };
}

/**
 * The one persistent polite live region (WCAG 4.1.3): always in the page,
 * empty until something is said. Each announcement is a new node, so the same
 * words said twice are read twice.
 */
export function LiveRegion({ said, announce, children }: { said: Announcement | null; announce: Announce; children?: ComponentChildren }) {
  return (
    <AnnounceContext.Provider value={announce}>
      <div id="annonces" class="live" role="status" aria-live="polite">
        {said && (
          <p key={said.n} class={said.visible ? "notice" : "visually-hidden"}>
            {said.text}
          </p>
        )}
      </div>
      {children}
    </AnnounceContext.Provider>
  );
}

/**
 * The landing point of what is on screen: the element marked `data-landing`
 * (the ticket code once issued, an opened form's heading), otherwise the first
 * level-1 heading. Made focusable by script only (`tabindex=-1`).
 */
export function focusLanding(): HTMLElement | null {
  const target = document.querySelector<HTMLElement>("[data-landing]:not([hidden] *)") ?? document.querySelector<HTMLElement>("h1:not([hidden] *)");
  if (!target) return null;
  if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
  return target;
}

/**
 * Moves focus to the landing point whenever `key` changes (a screen, a step, a
 * form opened), so focus never falls to the page's body (WCAG 2.4.3). Not on
 * the first render unless `onMount`: a page just opened keeps the browser's focus.
 */
export function useLanding(key: string, options?: { onMount?: boolean }) {
  const first = useRef(true);
  // Before the browser paints: no keystroke can fall between the change and the focus.
  useLayoutEffect(() => {
    const skip = first.current && !options?.onMount;
    first.current = false;
    if (!skip) focusLanding();
  }, [key]);
}

/**
 * A labelled field: the label names it, the hint and the error describe it
 * (`aria-describedby`), a required field is marked « * » for the eye and
 * `required` for assistive technologies, and an error sets `aria-invalid`.
 */
export function Field(props: { label: string; hint?: string; error?: string | null; required?: boolean; class?: string; children: VNode<Record<string, unknown>> }) {
  const id = useId();
  const hint = props.hint ? `${id}-aide` : undefined;
  const error = props.error ? `${id}-erreur` : undefined;
  const described = [hint, error].filter(Boolean).join(" ") || undefined;
  return (
    <div class={props.class ? `field ${props.class}` : "field"}>
      <label for={id}>
        {props.label}
        {props.required && <span class="required" aria-hidden="true"> *</span>}
      </label>
      {props.hint && <span id={hint} class="hint">{props.hint}</span>}
      {cloneElement(props.children, {
        id,
        required: props.required,
        "aria-describedby": described,
        "aria-invalid": props.error ? "true" : undefined,
      })}
      {props.error && <span id={error} class="field-error">{props.error}</span>}
    </div>
  );
}

/** The same for a checkbox: its label beside it, its hint below as a description. */
export function Check(props: { label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div class="check-field">
      <label class="check">
        <input type="checkbox" checked={props.checked} aria-describedby={props.hint ? `${id}-aide` : undefined} onChange={(e) => props.onChange(e.currentTarget.checked)} />
        {props.label}
      </label>
      {props.hint && <span id={`${id}-aide`} class="hint">{props.hint}</span>}
    </div>
  );
}

/** Calls `fn` once `value` has stopped changing for `ms` (typing settled). */
export function useSettled<T>(value: T, ms: number, fn: (value: T) => void) {
  useEffect(() => {
    const timer = setTimeout(() => fn(value), ms);
    return () => clearTimeout(timer);
  }, [value]);
}
