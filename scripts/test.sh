#!/usr/bin/env bash
# Runs every test and exits non-zero if any fails. The suites:
#   unit        cargo tests of the workspace (unit, property, benchmark and runtime tests)
#   dev-chain   polkadot-js on a dev node: a signed transfer followed to finality with balances
#               checked; identity registry; outsiders refused by the pool; a trade with escrow
#   lease       polkadot-js on a second dev node: a full metered lease with HMAC permits, bills,
#               commission and era rewards
#   hashpower   a dev node's off-chain worker dispatches two sub-accounts to two
#               computility-miner servers; shares verified on chain; switch when up to
#               standard; failover to the standby when the primary is killed
#   stratum     a third-party Stratum V1 miner (para) mining through computility-miner's
#               Stratum port, its shares verified on chain
#   pool        a sub-account served by the buyer's pool (a test pool): para's shares relayed
#               to it and verified on chain, the primary killed and its warm standby taking over
#   governance  polkadot-js: council governance adds a fifth validator on a five-node network
#   zombienet   four validators, finality with one down, stalled with two down, resumed; an
#               unlisted node isolated until governance lists it
#
# The suites run side by side in lanes (below): each end-to-end suite starts its own nodes,
# miners and pools on ports of its own (lib/nodes.js indexes: governance 0-4, lease 5,
# dev-chain 6, pool 7, stratum 8, hashpower 9; zombienet takes free ports from the kernel's
# ephemeral range, above all of these), in its own temporary directory. Suites in one lane run
# one after another; a failed suite does not stop the others. Each suite's output is printed
# live with its name as a prefix and kept in $TEST_LOGS/<suite>.log (a fresh temporary
# directory unless TEST_LOGS is set); the summary gives PASS/FAIL, seconds and the log of each.
#
# Usage: scripts/test.sh [suite ...]     (default: all; e.g. `scripts/test.sh unit lease`)
# Same profile and features as scripts/build.sh, so nothing is compiled twice.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

ALL=(unit dev-chain lease hashpower stratum pool governance zombienet)
declare -A TITLE=(
	[unit]="cargo test"
	[dev-chain]="polkadot-js dev chain (transfer, identity, permission, trade)"
	[lease]="polkadot-js metered lease (monitor, permits, bills, commission, era rewards)"
	[hashpower]="hashing power (off-chain worker, two miner servers, switch and failover)"
	[stratum]="Stratum V1 (para mines through computility-miner against a node)"
	[pool]="the buyer's pool (para through computility-miner to a test pool; standby takes over)"
	[governance]="polkadot-js governance (five-node local network)"
	[zombienet]="zombienet (finality, node permission)"
)
# Lanes run side by side; the suites of a lane one after another. The CPU-bound miners share
# one lane; the two multi-node networks share another (they need the cores less than the
# miners do, but ten validators at once would crowd the block authors).
LANES=(
	"unit"
	"dev-chain"
	"lease"
	"hashpower stratum pool"
	"governance zombienet"
)

selected=("$@")
[ "${#selected[@]}" -gt 0 ] || selected=("${ALL[@]}")
for s in "${selected[@]}"; do
	[ -n "${TITLE[$s]:-}" ] || { echo "[test] unknown suite '$s' (known: ${ALL[*]})" >&2; exit 2; }
done
wanted() { local s; for s in "${selected[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

LOGS="${TEST_LOGS:-$(mktemp -d -t computility-test-XXXXXX)}"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.result "$LOGS/para.rc"
echo "[test] logs in $LOGS"
T0=$SECONDS

# Set-up without para (seconds when done before), then para (a third-party miner, about six
# minutes to build on a fresh machine) in the background while the node builds: it has its own
# cargo target directory, and only the stratum and pool suites wait for it.
"$SCRIPTS/setup.sh" base || { echo "[test] set-up failed"; exit 1; }
if wanted stratum || wanted pool; then
	( "$SCRIPTS/setup.sh" para > "$LOGS/setup-para.log" 2>&1; echo $? > "$LOGS/para.rc" ) &
fi
t=$SECONDS
"$SCRIPTS/build.sh" || { echo "[test] build failed"; exit 1; }
echo "[test] build: $((SECONDS - t)) s"

wait_para() {
	while [ ! -s "$LOGS/para.rc" ]; do sleep 2; done
	if [ "$(cat "$LOGS/para.rc")" != 0 ]; then
		echo "para could not be installed (scripts/setup.sh para):"; tail -n 20 "$LOGS/setup-para.log"; return 1
	fi
}

run_suite() {
	case "$1" in
		# niced: compiling the test binaries must not take the CPU from the nodes' block authors
		unit) nice -n 10 cargo test "${CARGO_FLAGS[@]}" ;;
		dev-chain) node "$SCRIPTS/tests/dev.test.js" --index 6 transfer,identity,permission,trade ;;
		lease) node "$SCRIPTS/tests/dev.test.js" --index 5 lease ;;
		hashpower) node "$SCRIPTS/tests/hashpower.test.js" ;;
		stratum) wait_para && node "$SCRIPTS/tests/stratum.test.js" ;;
		pool) wait_para && node "$SCRIPTS/tests/pool.test.js" ;;
		governance) node "$SCRIPTS/tests/governance.test.js" ;;
		zombienet) "$SCRIPTS/zombienet.sh" ;;
	esac
}

# Runs one suite: output prefixed with its name and kept in its log; result in <suite>.result.
suite() {
	local name="$1" t0=$SECONDS status
	echo "[test] ---- $name: ${TITLE[$name]} (log $LOGS/$name.log)"
	run_suite "$name" 2>&1 | tee "$LOGS/$name.log" | sed -u "s/^/[$name] /"
	if [ "${PIPESTATUS[0]}" -eq 0 ]; then status=PASS; else status=FAIL; fi
	printf '%s  %-11s %5d s  %s\n' "$status" "$name" "$((SECONDS - t0))" "${TITLE[$name]}" > "$LOGS/$name.result"
	echo "[test] ---- $name: $status in $((SECONDS - t0)) s"
}

pids=()
for lane in "${LANES[@]}"; do
	(
		for name in $lane; do wanted "$name" && suite "$name"; done
		true
	) &
	pids+=($!)
done
wait "${pids[@]}"

echo "[test] ==== summary (wall clock $((SECONDS - T0)) s with set-up and build; logs in $LOGS)"
failed=0
for name in "${ALL[@]}"; do
	wanted "$name" || continue
	if [ -s "$LOGS/$name.result" ]; then
		echo "[test] $(cat "$LOGS/$name.result")"
		grep -q '^PASS' "$LOGS/$name.result" || { failed=1; echo "[test]       log: $LOGS/$name.log"; }
	else
		echo "[test] FAIL  $name: no result (the lane stopped early; see $LOGS/$name.log)"; failed=1
	fi
done
exit $failed
