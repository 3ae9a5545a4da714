#!/usr/bin/env bash
# Builds Volant, opens a demo tablet database with the shipped catalogue and a
# week of demo visits, then answers searches typed at the prompt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
cargo build --release --locked -p volant-cli
volant=target/release/volant
db="${VOLANT_DB:-$PWD/target/demo-tablet.sqlite3}"
if [ ! -e "$db" ]; then
  "$volant" --db "$db" demo visits --count 600 --days 6
fi
"$volant" --db "$db" status
echo
echo "Le journal du jour : $volant --db $db log export --date $(TZ=Europe/Paris date +%F)"
echo "Tapez les mots d'un visiteur (ligne vide pour quitter) :"
while IFS= read -r -p "> " words && [ -n "$words" ]; do
  "$volant" --db "$db" catalogue search "$words" --limit 5
done
