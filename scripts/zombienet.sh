#!/usr/bin/env bash
# Runs the zombienet tests (zombienet/*.zndsl) against the built node, with the native provider.
# Builds the raw `local` chain spec first; logs stay in the printed directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ZOMBIENET="$SCRIPTS/node_modules/.bin/zombienet"
[ -x "$ZOMBIENET" ] || "$SCRIPTS/setup.sh" base
[ -x "$NODE_BIN" ] || { echo "[zombienet] $NODE_BIN is missing: run scripts/build.sh" >&2; exit 1; }

work="$(mktemp -d -t computility-zombienet-XXXXXX)"
plain="$work/local-plain.json"
spec="$work/local-raw.json"
# The `local` preset, with zombienet's four validator nodes as the authorised nodes, made raw so
# that zombienet uses it unchanged.
"$NODE_BIN" build-spec --chain local --disable-default-bootnode > "$plain" 2>"$work/build-spec.log"
node "$ROOT/zombienet/patch-spec.mjs" "$plain" alice bob charlie dave
"$NODE_BIN" build-spec --chain "$plain" --disable-default-bootnode --raw > "$spec" 2>>"$work/build-spec.log"
export COMPUTILITY_NODE="$NODE_BIN" COMPUTILITY_RAW_SPEC="$spec"

status=0
for t in "${@:-$ROOT/zombienet/*.zndsl}"; do
	for test in $t; do
		name="$(basename "$test" .zndsl)"
		echo "[zombienet] $name (network dir $work/$name)"
		if ! (cd "$(dirname "$test")" && "$ZOMBIENET" -p native -l text -d "$work/$name" -f test "./$(basename "$test")"); then
			echo "[zombienet] $name FAILED; node logs in $work/$name" >&2
			status=1
		fi
	done
done
exit $status
