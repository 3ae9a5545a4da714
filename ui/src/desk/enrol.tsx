// A counter's or a display's browser not enrolled yet: the one-time code
// the mairie's IT printed, traded for a credential cookie its scripts never see.
import { useState } from "preact/hooks";
import type { DeviceKind } from "../bindings";
import type { ScreenBackend } from "../backend";
import { Field } from "../a11y";
import { errorText } from "../app";

/** Where each kind of screen lives on the server. */
export const SCREEN_PATH: Partial<Record<DeviceKind, string>> = { counter: "/guichet", display: "/ecran" };

export function ScreenEnrolment(props: { backend: ScreenBackend; kind: DeviceKind; onEnrolled: () => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const what = props.kind === "counter" ? "guichet" : "écran d'appel";
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const enrolled = await props.backend.enrollScreen(code.trim());
      const path = SCREEN_PATH[enrolled.kind];
      if (enrolled.kind !== props.kind && path) return location.assign(path);
      props.onEnrolled();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <main id="contenu" class="screen-enrol">
      <h1>Relier ce {what} au serveur de la mairie</h1>
      <p>
        Entrer le code à usage unique donné par l'informatique de la mairie
        (<code>volant-server device enroll-code --kind {props.kind}</code>). Ce poste le garde ensuite : il n'est demandé qu'une fois.
      </p>
      <form onSubmit={submit}>
        <Field label="Code d'enrôlement" hint="par exemple K7QM-2XPA" required error={error}>
          <input type="text" autoComplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary">Relier ce poste</button>
      </form>
    </main>
  );
}
