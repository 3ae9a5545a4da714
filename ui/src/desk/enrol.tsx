// A counter's or a display's browser not enrolled yet: the invitation link
// the mairie's IT printed (opened, or pasted), whose one-time code is traded
// for a credential cookie its scripts never see. The server checks that the
// link's certificate fingerprint is its own.
import { useState } from "preact/hooks";
import type { DeviceKind } from "../bindings";
import type { ScreenBackend } from "../backend";
import { Field } from "../a11y";
import { errorText } from "../app";

/** Where each kind of screen lives on the server. */
export const SCREEN_PATH: Partial<Record<DeviceKind, string>> = { counter: "/guichet", display: "/ecran" };

/** The code and fingerprint of an invitation link (`…#code=…&sha256=…`). */
function invitationParts(text: string): { code: string; fingerprint: string | null } {
  const hash = text.indexOf("#");
  if (hash < 0) return { code: text.trim(), fingerprint: null };
  const fragment = new URLSearchParams(text.slice(hash + 1));
  return { code: (fragment.get("code") ?? "").trim(), fingerprint: fragment.get("sha256") };
}

/** The link this page was opened with, taken out of the address bar at once. */
function openedWith(): string {
  if (!location.hash.includes("code=")) return "";
  const link = location.href;
  history.replaceState(null, "", location.pathname);
  return link;
}

export function ScreenEnrolment(props: { backend: ScreenBackend; kind: DeviceKind; onEnrolled: () => void }) {
  const [invitation, setInvitation] = useState(openedWith);
  const [error, setError] = useState<string | null>(null);
  const what = props.kind === "counter" ? "guichet" : "écran d'appel";
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const { code, fingerprint } = invitationParts(invitation);
      const enrolled = await props.backend.enrollScreen(code, fingerprint);
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
        Ouvrir sur ce poste le lien d'invitation donné par l'informatique de la mairie
        (<code>volant-server device enroll-code --kind {props.kind}</code>), ou le coller ci-dessous. Ce poste garde ensuite son accès : il n'est demandé qu'une fois.
      </p>
      <form onSubmit={submit}>
        <Field label="Invitation d'enrôlement" hint="par exemple https://10.0.0.2:8719/guichet#code=K7QM-2XPA&sha256=3fa1…" required error={error}>
          <input type="text" inputMode="url" autoComplete="off" spellcheck={false} value={invitation} onInput={(e) => setInvitation(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary">Relier ce poste</button>
      </form>
    </main>
  );
}
