// Réglages: enrolment with the mairie server, the tablet's letter, the
// agent's initials, the note field, the about text with data credits, and
// the accessibility statement.
import { useState } from "preact/hooks";
import type { Catalogue, Settings, SyncStatus } from "./bindings";
import { type Backend, BackendError } from "./backend";
import { errorText } from "./app";
import { Check, Field, useAnnounce } from "./a11y";
import { AccessibilityStatement } from "./statement";

type Props = { backend: Backend; settings: Settings; sync: SyncStatus | null; catalogue: Catalogue | null; onSaved: () => Promise<void> };

/** Which enrolment field an error is about: the code, the address, or neither. */
function faultyField(e: unknown): "code" | "server" | null {
  if (!(e instanceof BackendError)) return null;
  if (e.code === "invalid_code") return "code";
  if (e.code === "invalid" || e.code === "offline") return "server";
  return null;
}

export function SettingsScreen(props: Props) {
  const announce = useAnnounce();
  const [server, setServer] = useState("");
  const [code, setCode] = useState("");
  const [agent, setAgent] = useState(props.settings.agent ?? "");
  const [notes, setNotes] = useState(props.settings.notes_enabled);
  const [error, setError] = useState<{ text: string; field: "code" | "server" | null } | null>(null);
  const run = async (what: () => Promise<void>, done: string) => {
    try {
      await what();
      await props.onSaved();
      setError(null);
      announce(done);
    } catch (e) {
      setError({ text: errorText(e), field: faultyField(e) });
    }
  };
  const fieldError = (field: "code" | "server") => (error?.field === field ? error.text : null);
  return (
    <section class="settings" aria-labelledby="titre-reglages">
      <h1 id="titre-reglages">Réglages</h1>
      {error && error.field === null && <p class="error" role="alert">{error.text}</p>}
      <form aria-labelledby="titre-serveur" onSubmit={(e) => { e.preventDefault(); run(() => props.backend.enroll(server.trim(), code.trim()), "Tablette reliée au serveur de la mairie."); }}>
        <h2 id="titre-serveur">Serveur de la mairie</h2>
        {props.sync?.enrolled ? (
          <p>Tablette reliée au serveur.</p>
        ) : (
          <>
            <p class="hint">Les champs marqués d'un astérisque (*) sont obligatoires.</p>
            <Field label="Adresse du serveur" hint="donnée par l'informatique de la mairie, par exemple http://10.0.0.2:8719" required error={fieldError("server")}>
              <input type="url" value={server} onInput={(e) => setServer((e.target as HTMLInputElement).value)} />
            </Field>
            <Field label="Code d'enrôlement" hint="donné par l'informatique de la mairie, par exemple K7QM-2XPA" required error={fieldError("code")}>
              <input type="text" autoComplete="off" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
            </Field>
            {error && error.field !== null && <p class="error" role="alert">{error.text}</p>}
            <button type="submit" class="primary">Relier la tablette</button>
          </>
        )}
      </form>
      <form aria-labelledby="titre-tablette" onSubmit={(e) => { e.preventDefault(); run(() => props.backend.setSettings({ ...props.settings, agent: agent.trim() ? agent.trim().toUpperCase() : null, notes_enabled: notes }), "Réglages enregistrés."); }}>
        <h2 id="titre-tablette">Cette tablette</h2>
        <p>Lettre de la tablette : <strong>{props.settings.tablet}</strong></p>
        <Field label="Initiales de l'agent" hint="2 à 4 lettres">
          <input type="text" maxLength={4} autoComplete="off" value={agent} onInput={(e) => setAgent((e.target as HTMLInputElement).value)} />
        </Field>
        <Check label="Proposer une note factuelle à l'écoute" hint="Désactivé par défaut : le visiteur peut lire cette note (droit d'accès)." checked={notes} onChange={setNotes} />
        <button type="submit" class="primary">Enregistrer</button>
      </form>
      <section aria-labelledby="titre-apropos">
        <h2 id="titre-apropos">À propos</h2>
        <p>Volant {__APP_VERSION__} — {props.catalogue?.meta.mairie} (catalogue du {props.catalogue?.meta.edition}).</p>
        <ul class="credits">{props.catalogue?.meta.credits.map((c) => <li key={c}>{c}</li>)}</ul>
      </section>
      <AccessibilityStatement />
    </section>
  );
}
