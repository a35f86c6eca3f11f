# Sourced by scripts/bench-edge and scripts/bench-ingest.
# bench_database BIN CODES: a database of its own for the benchmarks, `shortlinks_bench` in the
# embedded cluster (or BENCH_DATABASE_URL), migrated, holding one link per line of CODES
# (`CODE URL`, as ../shared/anchors/gen_codes.py writes). Exports DATABASE_URL.
bench_database() {
  local bin=$1 codes=$2 admin_url
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    "$bin" db start >/dev/null
    admin_url=$("$bin" db url | tail -1)
    psql -q "$admin_url" -c "DROP DATABASE IF EXISTS shortlinks_bench" -c "CREATE DATABASE shortlinks_bench" >/dev/null
    BENCH_DATABASE_URL="${admin_url/\/\/\/shortlinks?/\/\/\/shortlinks_bench?}"
  fi
  export DATABASE_URL="$BENCH_DATABASE_URL"
  "$bin" migrate >/dev/null 2>&1
  echo "loading $(wc -l < "$codes") links"
  PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" >/dev/null <<SQL
TRUNCATE links CASCADE;
INSERT INTO users (email, name) VALUES ('bench@shortlinks.test', 'Bench') ON CONFLICT DO NOTHING;
INSERT INTO clients (name) VALUES ('bench') ON CONFLICT DO NOTHING;
CREATE TEMP TABLE codes (code text, url text);
\copy codes FROM PROGRAM 'tr " " "\t" < $codes'
INSERT INTO links (short_code, original_url, user_id, client_id)
  SELECT code, url, (SELECT id FROM users WHERE email = 'bench@shortlinks.test'), (SELECT id FROM clients WHERE name = 'bench')
  FROM codes;
SQL
}
