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
	[pallet_agreement]=pallets/agreement
	[pallet_order]=pallets/order
	[pallet_commission]=pallets/commission
	[pallet_bill]=pallets/bill
	[pallet_hashpower]=pallets/hashpower
)
# The order book's matching benchmarks build books of up to 10,000 asks per run; fewer steps
# suffice because the weight must not depend on the depth.
# Hashpower's share benchmark mines its shares in the set-up: fewer steps keep it short.
declare -A STEPS_FOR=([pallet_order]=5 [pallet_hashpower]=8)
declare -A REPEAT_FOR=([pallet_order]=10 [pallet_hashpower]=5)
pallets=("$@")
[ "${#pallets[@]}" -gt 0 ] || pallets=("${!DIRS[@]}")

for p in "${pallets[@]}"; do
	dir="${DIRS[$p]:-}"
	[ -n "$dir" ] || { echo "[bench] unknown pallet $p (known: ${!DIRS[*]})" >&2; exit 1; }
	steps="${STEPS_FOR[$p]:-$STEPS}"
	repeat="${REPEAT_FOR[$p]:-$REPEAT}"
	echo "[bench] $p: steps $steps, repeat $repeat -> $dir/src/weights.rs"
	"$NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$p" --extrinsic '*' \
		--steps "$steps" --repeat "$repeat" \
		--json-file "${BENCH_JSON_DIR:-/tmp}/bench-$p.json" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template "$SCRIPTS/weight-template.hbs" \
		--output "$ROOT/$dir/src/weights.rs"
done
