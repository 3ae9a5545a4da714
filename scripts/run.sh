#!/usr/bin/env bash
# Builds Volant, starts the mairie server on its embedded SQLite file
# (127.0.0.1:8719), enrols a demo tablet, walks a week of demo visits on it,
# syncs them to the server, then answers searches typed at the prompt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cargo build --release --locked -p volant-cli -p volant-server
bin=target/release
data="${VOLANT_DEMO_DIR:-$PWD/target/demo}"
mkdir -p "$data"
server_db="$data/server.sqlite3"
tablet_db="$data/tablet.sqlite3"
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

if ! "$bin/volant" --db "$tablet_db" status | grep -q "^Serveur : http"; then
  code=$("$bin/volant-server" --db "$server_db" device enroll-code --name "Tablette démo" 2>/dev/null)
  "$bin/volant" --db "$tablet_db" enroll --server "http://$address" --code "$code"
  "$bin/volant" --db "$tablet_db" demo visits --count 600 --days 6
fi
"$bin/volant" --db "$tablet_db" sync
echo
"$bin/volant" --db "$tablet_db" status
echo
"$bin/volant-server" --db "$server_db" device list
echo
echo "Journal du jour : $bin/volant --db $tablet_db log export --date $(TZ=Europe/Paris date +%F)"
echo "Tapez les mots d'un visiteur (ligne vide pour quitter) :"
while IFS= read -r -p "> " words && [ -n "$words" ]; do
  "$bin/volant" --db "$tablet_db" catalogue search "$words" --limit 5
done
