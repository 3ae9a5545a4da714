#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL 15 cluster (pg_virtualenv,
# from Debian's postgresql-common; fsync off, deleted afterwards), with
# VOLANT_TEST_POSTGRES set to its address (postgresql://user:password@host:port).
# Example: bash scripts/with-postgres.sh cargo test -p volant-server --test api
set -euo pipefail
[ $# -gt 0 ] || { echo "usage : $0 COMMANDE [ARGUMENTS…]" >&2; exit 2; }
command -v pg_virtualenv >/dev/null || { echo "pg_virtualenv introuvable : bash scripts/setup-debian.sh" >&2; exit 1; }
exec pg_virtualenv -t -v 15 bash -c \
  'export VOLANT_TEST_POSTGRES="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT"; exec "$@"' with-postgres "$@"
