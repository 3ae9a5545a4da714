#!/usr/bin/env bash
# The server against its own OpenAPI document, fuzzed by schemathesis (from
# PyPI): the real server binary on 127.0.0.1 over HTTPS, a tablet's visits
# synced into it by the real `volant` command line, then every operation run
# with a real agent credential and again with a real lead credential. Fails
# on any server error or any answer that contradicts the document. Ends with
# "N passed, N failed" (one per run). Needs target/debug/volant-server and
# target/debug/volant.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/schemathesis
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==4.*"; }
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="https://127.0.0.1:$port"
db="$work/server.sqlite3"
target/debug/volant-server --db "$db" serve --listen "127.0.0.1:$port" --ui-dir "$work/no-ui" >"$work/out" 2>"$work/log" &
server_pid=$!
for _ in $(seq 100); do grep -q "écoute" "$work/out" 2>/dev/null && break; sleep 0.1; done
cert="$work/server.cert.pem"

# Real data behind the endpoints: a tablet's week of visits, synced.
target/debug/volant --db "$work/tablet.sqlite3" enroll "$(target/debug/volant-server --db "$db" device enroll-code 2>/dev/null)" >/dev/null
target/debug/volant --db "$work/tablet.sqlite3" demo visits --count 80 --days 3 >/dev/null
target/debug/volant --db "$work/tablet.sqlite3" sync >/dev/null

# A credential of each kind, enrolled as a device does.
token() {
  local invitation code
  invitation=$(target/debug/volant-server --db "$db" device enroll-code --kind "$1" 2>/dev/null)
  code=${invitation#*#code=}; code=${code%%&*}
  curl -sf --cacert "$cert" -H 'volant-protocol: 1' -H 'content-type: application/json' \
    -d "{\"code\":\"$code\",\"install_id\":\"$(python3 -c 'import uuid; print(uuid.uuid4())')\"}" \
    "$base/v1/enroll" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

passed=0
failed=0
for kind in agent lead; do
  echo "schemathesis — $kind credential"
  if "$venv/bin/schemathesis" --config-file tests/contract/schemathesis.toml run "$base/v1/openapi.json" --tls-verify "$cert" \
      -H "Authorization: Bearer $(token "$kind")" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection \
      --phases examples,coverage,fuzzing,stateful --max-examples "${SCHEMATHESIS_EXAMPLES:-60}" \
      --workers 2 --request-timeout 10 --no-color; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
if grep -q '"level":"ERROR"' "$work/log"; then
  echo "the server logged errors:"; grep '"level":"ERROR"' "$work/log" | head -20
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
