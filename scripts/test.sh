#!/usr/bin/env bash
# Runs every test and exits non-zero if any fails:
#   1. cargo tests of the workspace (unit, property, benchmark and runtime tests)
#   2. polkadot-js on a dev node: a signed transfer followed to finality with balances checked;
#      identity registry; outsiders refused by the pool; a trade with escrow
#   3. polkadot-js: council governance adds a fifth validator on a five-node local network
#   4. zombienet: four validators, finality with one down, stalled with two down, resumed;
#      an unlisted node isolated until governance lists it
# Same profile and features as scripts/build.sh, so nothing is compiled twice.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$SCRIPTS/build.sh" || { echo "[test] build failed"; exit 1; }
cd "$ROOT"

declare -a results=()
failed=0
step() {
	local name="$1"; shift
	local t0=$SECONDS
	echo "[test] ==== $name"
	if "$@"; then results+=("PASS  $name ($((SECONDS - t0)) s)"); else
		results+=("FAIL  $name ($((SECONDS - t0)) s)"); failed=1; fi
}

step "cargo test" cargo test "${CARGO_FLAGS[@]}"
step "polkadot-js dev chain (transfer, identity, permission, trade)" node "$SCRIPTS/tests/dev.test.js"
step "polkadot-js governance (five-node local network)" node "$SCRIPTS/tests/governance.test.js"
step "zombienet (finality, node permission)" "$SCRIPTS/zombienet.sh"

echo "[test] ==== summary"
printf '[test] %s\n' "${results[@]}"
exit $failed
