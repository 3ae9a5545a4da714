// Réglages: enrolment with the mairie server, the tablet's letter, the
// agent's initials, the note field, and the about text with data credits.
import { useState } from "preact/hooks";
import type { Catalogue, Settings, SyncStatus } from "./bindings";
import type { Backend } from "./backend";
import { errorText } from "./app";

type Props = { backend: Backend; settings: Settings; sync: SyncStatus | null; catalogue: Catalogue | null; onSaved: () => Promise<void> };

export function SettingsScreen(props: Props) {
  const [server, setServer] = useState("");
  const [code, setCode] = useState("");
  const [agent, setAgent] = useState(props.settings.agent ?? "");
  const [notes, setNotes] = useState(props.settings.notes_enabled);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const run = async (what: () => Promise<void>, done: string) => {
    try {
      await what();
      await props.onSaved();
      setMessage({ text: done, error: false });
    } catch (e) {
      setMessage({ text: errorText(e), error: true });
    }
  };
  return (
    <section class="settings" aria-labelledby="titre-reglages">
      <h1 id="titre-reglages">Réglages</h1>
      {message && <p class={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>{message.text}</p>}
      <form onSubmit={(e) => { e.preventDefault(); run(() => props.backend.enroll(server.trim(), code.trim()), "Tablette reliée au serveur de la mairie."); }}>
        <h2>Serveur de la mairie</h2>
        {props.sync?.enrolled ? (
          <p>Tablette reliée au serveur.</p>
        ) : (
          <>
            <label class="field">
              Adresse du serveur
              <input type="url" required placeholder="http://10.0.0.2:8719" value={server} onInput={(e) => setServer((e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">
              Code d'enrôlement (donné par l'informatique)
              <input type="text" required autoComplete="off" placeholder="K7QM-2XPA" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit" class="primary">Relier la tablette</button>
          </>
        )}
      </form>
      <form onSubmit={(e) => { e.preventDefault(); run(() => props.backend.setSettings({ ...props.settings, agent: agent.trim() ? agent.trim().toUpperCase() : null, notes_enabled: notes }), "Réglages enregistrés."); }}>
        <h2>Cette tablette</h2>
        <p>Lettre de la tablette : <strong>{props.settings.tablet}</strong></p>
        <label class="field">
          Initiales de l'agent (2 à 4 lettres)
          <input type="text" maxLength={4} value={agent} onInput={(e) => setAgent((e.target as HTMLInputElement).value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={notes} onChange={(e) => setNotes((e.target as HTMLInputElement).checked)} />
          Proposer une note factuelle à l'écoute (désactivé par défaut : le visiteur peut la lire)
        </label>
        <button type="submit" class="primary">Enregistrer</button>
      </form>
      <section aria-labelledby="titre-apropos">
        <h2 id="titre-apropos">À propos</h2>
        <p>Volant {__APP_VERSION__} — {props.catalogue?.meta.mairie} (catalogue du {props.catalogue?.meta.edition}).</p>
        <ul class="credits">{props.catalogue?.meta.credits.map((c) => <li key={c}>{c}</li>)}</ul>
      </section>
    </section>
  );
}
