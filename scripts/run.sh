#!/usr/bin/env bash
# Builds Volant, starts the mairie server on its embedded SQLite file
# (127.0.0.1:8719, shipped catalogue), enrols a demo tablet and walks a week of
# demo visits on it, syncs them, enrols a team lead's device, then opens the
# app on the tablet's database (`bash scripts/run.sh lead`: on the lead's,
# with the Équipe, Indicateurs and Catalogue screens). The server speaks HTTPS
# with the certificate it makes on first start; devices are enrolled with the
# invitations it prints (address, certificate fingerprint, one-time code). It
# prints the invitation links of the counter desk and the call display.
# Without a display, it answers searches typed at the prompt instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
(cd ui && npm ci --no-audit --no-fund && npm run build)
cargo build --release --locked -p volant-cli -p volant-server -p volant-app
bin=target/release
data="${VOLANT_DEMO_DIR:-$PWD/target/demo}"
mkdir -p "$data"
server_db="$data/server.sqlite3"
tablet_db="$data/tablet.sqlite3"
lead_db="$data/lead.sqlite3"
address="${VOLANT_LISTEN:-127.0.0.1:8719}"

"$bin/volant-server" --db "$server_db" serve --listen "$address" >"$data/server.out" 2>"$data/server.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do
  grep -q "écoute" "$data/server.out" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.1
done
cat "$data/server.out"

if ! "$bin/volant" --db "$tablet_db" status | grep -q "^Serveur : https"; then
  invitation=$("$bin/volant-server" --db "$server_db" device enroll-code --name "Tablette démo" 2>/dev/null)
  "$bin/volant" --db "$tablet_db" enroll "$invitation"
  "$bin/volant" --db "$tablet_db" demo visits --count 600 --days 6
fi
"$bin/volant" --db "$tablet_db" sync
if ! "$bin/volant" --db "$lead_db" status | grep -q "^Serveur : https"; then
  invitation=$("$bin/volant-server" --db "$server_db" device enroll-code --name "Poste responsable" --kind lead 2>/dev/null)
  "$bin/volant" --db "$lead_db" enroll "$invitation"
fi
"$bin/volant" --db "$lead_db" sync >/dev/null
# The counter desk and the call display open in a browser on the server's address.
counter_link=$("$bin/volant-server" --db "$server_db" device enroll-code --name "Guichet démo" --kind counter --service etat-civil --label "Guichet 3 — État civil" 2>/dev/null)
display_link=$("$bin/volant-server" --db "$server_db" device enroll-code --name "Écran démo" --kind display --label "Salle d'attente" --services etat-civil,affaires-generales,accueil-general 2>/dev/null)
echo "Guichet (État civil) : $counter_link"
echo "Écran d'appel        : $display_link"
app_db="$tablet_db"
[ "${1:-}" = "lead" ] && app_db="$lead_db"
echo
"$bin/volant-server" --db "$server_db" device list
echo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Ouverture de l'application Volant (fermer la fenêtre pour arrêter le serveur)."
  VOLANT_DB="$app_db" "$bin/volant-app"
else
  echo "Pas d'écran : recherche en ligne de commande."
  echo "Tapez les mots d'un visiteur (ligne vide pour quitter) :"
  while IFS= read -r -p "> " words && [ -n "$words" ]; do
    "$bin/volant" --db "$tablet_db" catalogue search "$words" --limit 5
  done
fi
