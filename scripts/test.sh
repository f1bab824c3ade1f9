#!/usr/bin/env bash
# Runs every test and exits non-zero if any fails:
#   1. cargo tests of the workspace (unit, property, benchmark and runtime tests)
#   2. polkadot-js on a dev node: a signed transfer followed to finality with balances checked;
#      identity registry; outsiders refused by the pool; a trade with escrow; a full metered
#      lease with HMAC permits, bills, commission and era rewards
#   3. hashing power: a dev node's off-chain worker dispatches two sub-accounts to two
#      computility-miner servers; shares verified on chain; switch when up to standard;
#      failover to the standby when the primary is killed; a third-party Stratum V1 miner
#      (para) mining through computility-miner's Stratum port, its shares verified on chain;
#      a sub-account served by the buyer's pool (a test pool): para's shares relayed to it and
#      verified on chain, the primary killed and its warm standby taking over para
#   4. polkadot-js: council governance adds a fifth validator on a five-node local network
#   5. zombienet: four validators, finality with one down, stalled with two down, resumed;
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
step "polkadot-js dev chain (transfer, identity, permission, trade, lease)" node "$SCRIPTS/tests/dev.test.js"
step "hashing power (node, off-chain worker, two miner servers, switch and failover)" node "$SCRIPTS/tests/hashpower.test.js"
step "Stratum V1 (a third-party miner, para, mines through computility-miner against a node)" node "$SCRIPTS/tests/stratum.test.js"
step "the buyer's pool (para through computility-miner to a test pool; standby takes over)" node "$SCRIPTS/tests/pool.test.js"
step "polkadot-js governance (five-node local network)" node "$SCRIPTS/tests/governance.test.js"
step "zombienet (finality, node permission)" "$SCRIPTS/zombienet.sh"

echo "[test] ==== summary"
printf '[test] %s\n' "${results[@]}"
exit $failed
