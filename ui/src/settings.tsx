// Réglages: enrolment with the mairie server, the tablet's letter, the
// agent's initials, the note field, the hall's receipt printer, the about text with data credits, and
// the accessibility statement.
import { useState } from "preact/hooks";
import type { Catalogue, Settings, SyncStatus } from "./bindings";
import { type Backend, BackendError } from "./backend";
import { errorText } from "./app";
import { Check, Field, useAnnounce } from "./a11y";
import { AccessibilityStatement } from "./statement";

type Props = { backend: Backend; settings: Settings; sync: SyncStatus | null; catalogue: Catalogue | null; onSaved: () => Promise<void> };

/** Whether an error is about the invitation typed (rather than the tablet). */
function aboutInvitation(e: unknown): boolean {
  const codes = ["invalid_code", "invalid_address", "offline", "already_enrolled", "seq_conflict", "certificate_changed", "certificate_expired", "certificate_untrusted"];
  return e instanceof BackendError && codes.includes(e.code);
}

/** The invitation field and its button: to enrol, or to re-enrol after the server's certificate changed. */
function InvitationForm(props: { value: string; onInput: (v: string) => void; error: string | null; action: string }) {
  return (
    <>
      <Field label="Invitation d'enrôlement" hint="la ligne donnée par l'informatique de la mairie, par exemple https://10.0.0.2:8719/#code=K7QM-2XPA&sha256=3fa1…" required error={props.error}>
        <input type="text" inputMode="url" autoComplete="off" spellcheck={false} value={props.value} onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
      </Field>
      {props.error && <p class="error" role="alert">{props.error}</p>}
      <button type="submit" class="primary">{props.action}</button>
    </>
  );
}

export function SettingsScreen(props: Props) {
  const announce = useAnnounce();
  const [invitation, setInvitation] = useState("");
  const [agent, setAgent] = useState(props.settings.agent ?? "");
  const [notes, setNotes] = useState(props.settings.notes_enabled);
  const [printer, setPrinter] = useState(props.settings.printer ?? "");
  const [error, setError] = useState<{ text: string; field: "invitation" | null } | null>(null);
  const run = async (what: () => Promise<void>, done: string) => {
    try {
      await what();
      await props.onSaved();
      setError(null);
      announce(done);
    } catch (e) {
      setError({ text: errorText(e), field: aboutInvitation(e) ? "invitation" : null });
    }
  };
  const invitationError = error?.field === "invitation" ? error.text : null;
  return (
    <section class="settings" aria-labelledby="titre-reglages">
      <h1 id="titre-reglages">Réglages</h1>
      {error && error.field === null && <p class="error" role="alert">{error.text}</p>}
      <form aria-labelledby="titre-serveur" onSubmit={(e) => { e.preventDefault(); run(() => props.backend.enroll(invitation.trim()), props.sync?.enrolled ? "Tablette réenrôlée : la synchronisation reprend." : "Tablette reliée au serveur de la mairie."); }}>
        <h2 id="titre-serveur">Serveur de la mairie</h2>
        {props.sync?.enrolled ? (
          <>
            <p>Tablette reliée au serveur, par une connexion chiffrée.</p>
            <details open={invitationError !== null}>
              <summary>Réenrôler la tablette (certificat du serveur changé)</summary>
              <p class="hint">Les visites en attente restent sur la tablette et partent après le réenrôlement ; la lettre de la tablette ne change pas.</p>
              <InvitationForm value={invitation} onInput={setInvitation} error={invitationError} action="Réenrôler la tablette" />
            </details>
          </>
        ) : (
          <>
            <p class="hint">Les champs marqués d'un astérisque (*) sont obligatoires.</p>
            <InvitationForm value={invitation} onInput={setInvitation} error={invitationError} action="Relier la tablette" />
          </>
        )}
      </form>
      <form aria-labelledby="titre-tablette" onSubmit={(e) => { e.preventDefault(); run(() => props.backend.setSettings({ ...props.settings, agent: agent.trim() ? agent.trim().toUpperCase() : null, notes_enabled: notes, printer: printer.trim() || null }), "Réglages enregistrés."); }}>
        <h2 id="titre-tablette">Cette tablette</h2>
        <p>Lettre de la tablette : <strong>{props.settings.tablet}</strong></p>
        <Field label="Initiales de l'agent" hint="2 à 4 lettres">
          <input type="text" maxLength={4} autoComplete="off" value={agent} onInput={(e) => setAgent((e.target as HTMLInputElement).value)} />
        </Field>
        <Check label="Proposer une note factuelle à l'écoute" hint="Désactivé par défaut : le visiteur peut lire cette note (droit d'accès)." checked={notes} onChange={setNotes} />
        <Field label="Imprimante de tickets" hint="adresse IP de l'imprimante du hall, par exemple 192.168.1.50 (port 9100 par défaut) ; vide : pas d'impression">
          <input type="text" inputMode="url" autoComplete="off" spellcheck={false} value={printer} onInput={(e) => setPrinter((e.target as HTMLInputElement).value)} />
        </Field>
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
