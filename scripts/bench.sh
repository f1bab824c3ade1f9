#!/usr/bin/env bash
# Benchmarks our pallets with the real node (`computility-node benchmark pallet`) and writes
# their weights.rs. Usage: scripts/bench.sh [pallet ...]   (default: all of ours)
# Steps and repeats can be lowered for a quick look: STEPS=2 REPEAT=1 scripts/bench.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$NODE_BIN" ] || "$SCRIPTS/build.sh"
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"

declare -A DIRS=(
	[pallet_validator_set]=pallets/validator-set
	[pallet_consortium_identity]=pallets/identity
)
pallets=("$@")
[ "${#pallets[@]}" -gt 0 ] || pallets=("${!DIRS[@]}")

for p in "${pallets[@]}"; do
	dir="${DIRS[$p]:-}"
	[ -n "$dir" ] || { echo "[bench] unknown pallet $p (known: ${!DIRS[*]})" >&2; exit 1; }
	echo "[bench] $p: steps $STEPS, repeat $REPEAT -> $dir/src/weights.rs"
	"$NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$p" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template "$SCRIPTS/weight-template.hbs" \
		--output "$ROOT/$dir/src/weights.rs"
done
