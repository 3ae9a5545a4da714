// A date field that reads and writes French dates (28/11/2026) whatever the
// system's locale: a text field, not the browser's date picker, whose order
// follows the operating system (mm/dd/yyyy on an English one).
import { useEffect, useId, useState } from "preact/hooks";

/** `2026-11-28` → `28/11/2026`. */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return y && m && d ? `${d}/${m}/${y}` : iso;
}

/** `28/11/2026` (or `28/11/26`, `1/2/2026`, `28.11.2026`) → `2026-11-28`; null if it is no day of the calendar. */
export function isoDate(text: string): string | null {
  const parts = text.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/);
  if (!parts) return null;
  const [d, m] = [Number(parts[1]), Number(parts[2])];
  const y = parts[3].length === 2 ? 2000 + Number(parts[3]) : Number(parts[3]);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** A labelled French date field; `onChange` hears only whole, real days (ISO). */
export function DateField(props: { label: string; value: string; onChange: (iso: string) => void }) {
  const id = useId();
  const [text, setText] = useState(frenchDate(props.value));
  const [wrong, setWrong] = useState(false);
  useEffect(() => {
    if (isoDate(text) !== props.value) setText(frenchDate(props.value));
    // Only a new value from outside rewrites what is typed.
  }, [props.value]);
  const input = (value: string) => {
    setText(value);
    const iso = isoDate(value);
    if (iso) {
      setWrong(false);
      if (iso !== props.value) props.onChange(iso);
    }
  };
  return (
    <div class="field date">
      <label for={id}>{props.label}</label>
      <span id={`${id}-aide`} class="hint">jj/mm/aaaa</span>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        size={10}
        value={text}
        aria-describedby={wrong ? `${id}-aide ${id}-erreur` : `${id}-aide`}
        aria-invalid={wrong ? "true" : undefined}
        onInput={(e) => input(e.currentTarget.value)}
        onBlur={() => setWrong(isoDate(text) === null)}
      />
      {wrong && <span id={`${id}-erreur`} class="field-error">date invalide : écrire par exemple 28/11/2026</span>}
    </div>
  );
}
