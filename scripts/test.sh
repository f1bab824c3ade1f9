#!/usr/bin/env bash
# Runs every test and exits non-zero if any fails:
#   1. cargo tests of the workspace (unit, property, benchmark and runtime tests)
#   2. polkadot-js: a signed transfer on a dev node, followed to finality, balances checked
#   3. polkadot-js: council governance adds a fifth validator on a five-node local network
#   4. zombienet: four validators, finality with one down, stalled with two down, resumed
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
step "polkadot-js dev chain (transfer, identity)" node "$SCRIPTS/tests/dev.test.js"
step "polkadot-js governance" node "$SCRIPTS/tests/governance.test.js"
step "zombienet finality" "$SCRIPTS/zombienet.sh"

echo "[test] ==== summary"
printf '[test] %s\n' "${results[@]}"
exit $failed
