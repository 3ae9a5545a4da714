// The lead's catalogue: find a démarche or a service, create, edit or archive
// it. The server checks every edit like an import and refuses one made from
// an old version, showing the current one instead.
import { useState } from "preact/hooks";
import type { Catalogue, Demarche, JsonValue, RecordKind, Service, Weekday, WeeklySlot } from "../bindings";
import type { Backend } from "../backend";
import { errorText } from "../app";

/** Records listed at once; the search narrows them. */
const LISTED = 40;

/** A new démarche, or one prefilled from an unmet need. */
export type Draft = { kind: RecordKind; record: Record<string, unknown>; version: number | null };

const lines = (v: unknown) => (Array.isArray(v) ? v.join("\n") : "");
const split = (v: string) => v.split("\n").map((l) => l.trim()).filter(Boolean);
const DAYS: [Weekday, string][] = [
  ["monday", "lundi"], ["tuesday", "mardi"], ["wednesday", "mercredi"], ["thursday", "jeudi"],
  ["friday", "vendredi"], ["saturday", "samedi"], ["sunday", "dimanche"],
];

/** Weekly slots as lines « mardi 14:00-17:00 »; a line not understood is kept as is for the server to refuse. */
function slotLines(slots: unknown): string {
  return (Array.isArray(slots) ? (slots as WeeklySlot[]) : [])
    .map((s) => `${DAYS.find(([d]) => d === s.weekday)?.[1] ?? s.weekday} ${s.start}-${s.end}`).join("\n");
}

function parseSlots(text: string): WeeklySlot[] {
  return split(text).map((line) => {
    const [day = "", times = ""] = line.split(/\s+/, 2);
    const [start = "", end = ""] = times.split("-");
    const weekday = DAYS.find(([, fr]) => fr === day.toLowerCase())?.[0] ?? (day as Weekday);
    return { weekday, start, end };
  });
}

const slug = (v: string) => v.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export function newDemarche(title = "", keywords: string[] = []): Draft {
  return { kind: "demarche", version: null, record: { id: "", title, category: "", keywords, service: "", documents: [], appointment: { required: false }, frequency: 2, active: true } };
}

function newService(): Draft {
  return { kind: "service", version: null, record: { id: "", name: "", kind: "partner", address: "", hours: "", active: true } };
}

export function CatalogueScreen(props: { backend: Backend; catalogue: Catalogue | null; draft: Draft | null; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(props.draft);
  const [filter, setFilter] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [current, setCurrent] = useState<JsonValue | null>(null);
  const c = props.catalogue;
  if (!c) return <p>Catalogue en cours de chargement…</p>;

  const edit = (kind: RecordKind, r: Demarche | Service) => {
    setDraft({ kind, version: r.version, record: structuredClone(r) as unknown as Record<string, unknown> });
    setMessage(null);
    setCurrent(null);
  };

  const save = async (record: Record<string, unknown>) => {
    if (!draft) return;
    const id = draft.version === null && !record.id ? slug(String(record.title ?? record.name ?? "")) : String(record.id);
    // An empty optional field is left out; an empty required one is refused by the server.
    const body = Object.fromEntries(Object.entries({ ...record, id }).filter(([, v]) => v !== ""));
    try {
      const outcome = await props.backend.editCatalogue(draft.kind, id, { expected_version: draft.version, record: body as JsonValue });
      if (outcome.outcome === "saved") {
        const saved = outcome.record as Record<string, unknown>;
        setDraft({ kind: draft.kind, version: Number(saved.version), record: saved });
        setMessage({ text: `Enregistré (version ${saved.version}). Les tablettes le recevront à leur prochaine synchronisation.`, error: false });
        setCurrent(null);
        props.onSaved();
      } else {
        setMessage({ text: `Non enregistré : ${outcome.message}`, error: true });
        setCurrent(outcome.current);
      }
    } catch (e) {
      setMessage({ text: `Non enregistré : ${errorText(e)}`, error: true });
    }
  };

  const words = filter.toLowerCase();
  const demarches = c.demarches.filter((d) => d.title.toLowerCase().includes(words));
  const services = c.services.filter((s) => s.name.toLowerCase().includes(words));
  const shown = (n: number) => (n > LISTED ? `${LISTED} sur ${n} : préciser la recherche` : `${n}`);
  return (
    <section class="catalogue-editor" aria-labelledby="titre-catalogue">
      <h1 id="titre-catalogue">Catalogue</h1>
      {message && <p class={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>{message.text}</p>}
      {current !== null && draft && (
        <div class="card">
          <p>Version actuelle sur le serveur : {String((current as Record<string, unknown>).title ?? (current as Record<string, unknown>).name)} (version {String((current as Record<string, unknown>).version)}).</p>
          <button type="button" onClick={() => { const r = current as Record<string, unknown>; setDraft({ kind: draft.kind, version: Number(r.version), record: r }); setCurrent(null); setMessage(null); }}>
            Reprendre à partir de la version actuelle
          </button>
        </div>
      )}
      {draft ? (
        <RecordForm key={`${draft.kind}-${String(draft.record.id)}-${draft.version}`} draft={draft} catalogue={c} onSave={save} onCancel={() => { setDraft(null); setMessage(null); }} />
      ) : (
        <>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setDraft(newDemarche())}>Nouvelle démarche</button>
            <button type="button" onClick={() => setDraft(newService())}>Nouveau service ou partenaire</button>
          </div>
          <label class="field">Chercher dans le catalogue<input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} /></label>
          <h2>Démarches <span class="hint">{shown(demarches.length)}</span></h2>
          <ul class="records">
            {demarches.slice(0, LISTED).map((d) => (
              <li key={d.id}><button type="button" class="secondary" onClick={() => edit("demarche", d)}>{d.title}{d.active ? "" : " (archivée)"}</button></li>
            ))}
          </ul>
          <h2>Services, permanences et partenaires <span class="hint">{shown(services.length)}</span></h2>
          <ul class="records">
            {services.slice(0, LISTED).map((s) => (
              <li key={s.id}><button type="button" class="secondary" onClick={() => edit("service", s)}>{s.name}{s.active ? "" : " (archivé)"}</button></li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type FieldProps = { label: string; name: string; record: Record<string, unknown>; set: (name: string, value: unknown) => void };

function Text({ label, name, record, set, multiline }: FieldProps & { multiline?: boolean }) {
  const value = multiline ? lines(record[name]) : String(record[name] ?? "");
  return (
    <label class="field">{label}{multiline && <span class="hint">une par ligne</span>}
      {multiline
        ? <textarea value={value} onInput={(e) => set(name, split(e.currentTarget.value))} />
        : <input value={value} onInput={(e) => set(name, e.currentTarget.value)} />}
    </label>
  );
}

function RecordForm(props: { draft: Draft; catalogue: Catalogue; onSave: (r: Record<string, unknown>) => void; onCancel: () => void }) {
  const [record, setRecord] = useState<Record<string, unknown>>(props.draft.record);
  const set = (name: string, value: unknown) => setRecord({ ...record, [name]: value });
  const f = { record, set };
  const isNew = props.draft.version === null;
  const demarche = props.draft.kind === "demarche";
  const appointment = (record.appointment ?? { required: false }) as { required: boolean; booking?: string };
  return (
    <form class="card record-form" onSubmit={(e) => { e.preventDefault(); props.onSave(record); }}>
      <h2>{isNew ? (demarche ? "Nouvelle démarche" : "Nouveau service") : `Modifier (version ${props.draft.version})`}</h2>
      {isNew && <label class="field">Identifiant<span class="hint">laisser vide pour le former à partir du titre</span><input value={String(record.id ?? "")} onInput={(e) => set("id", e.currentTarget.value)} /></label>}
      {demarche ? (
        <>
          <Text label="Titre" name="title" {...f} />
          <Text label="Catégorie" name="category" {...f} />
          <label class="field">Service qui la traite
            <select value={String(record.service ?? "")} onChange={(e) => set("service", e.currentTarget.value)}>
              <option value="">—</option>
              {props.catalogue.services.filter((s) => s.active).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <Text label="Mots des visiteurs" name="keywords" multiline {...f} />
          <Text label="Pièces à apporter" name="documents" multiline {...f} />
          <label class="check"><input type="checkbox" checked={appointment.required} onChange={(e) => set("appointment", { ...appointment, required: e.currentTarget.checked })} />Sur rendez-vous</label>
          <label class="field">Fréquence (1 rare – 5 très fréquente)
            <select value={String(record.frequency ?? 2)} onChange={(e) => set("frequency", Number(e.currentTarget.value))}>
              {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
        </>
      ) : (
        <>
          <Text label="Nom" name="name" {...f} />
          <label class="field">Type
            <select value={String(record.kind)} onChange={(e) => set("kind", e.currentTarget.value)}>
              <option value="counter">Guichet de la mairie</option>
              <option value="permanence">Permanence</option>
              <option value="partner">Partenaire extérieur</option>
              <option value="online">Service en ligne</option>
            </select>
          </label>
          {record.kind === "counter" && <><Text label="Lieu" name="location" {...f} /><Text label="Horaires" name="hours" {...f} /><Text label="Lettre des tickets" name="ticket_letter" {...f} /></>}
          {record.kind === "permanence" && (
            <>
              <Text label="Partenaire" name="partner" {...f} />
              <Text label="Lieu" name="location" {...f} />
              <label class="field">Créneaux<span class="hint">un par ligne, par exemple « mardi 14:00-17:00 »</span>
                <textarea defaultValue={slotLines(record.slots)} onInput={(e) => set("slots", parseSlots(e.currentTarget.value))} />
              </label>
              <Text label="Comment obtenir une place" name="booking" {...f} />
            </>
          )}
          {record.kind === "partner" && <><Text label="Adresse" name="address" {...f} /><Text label="Horaires" name="hours" {...f} /><Text label="Téléphone du service" name="phone" {...f} /><Text label="Site" name="website" {...f} /></>}
          {record.kind === "online" && <Text label="Adresse (https)" name="url" {...f} />}
        </>
      )}
      <label class="check"><input type="checkbox" checked={record.active === false} onChange={(e) => set("active", !e.currentTarget.checked)} />Archivé (gardé pour le journal, plus proposé)</label>
      <div class="actions">
        <button type="submit" class="primary">Enregistrer</button>
        <button type="button" onClick={props.onCancel}>Retour à la liste</button>
      </div>
    </form>
  );
}
