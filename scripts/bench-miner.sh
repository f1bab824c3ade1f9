#!/usr/bin/env bash
# Measures computility-miner's search speed beside this machine's SHA-256 compression limit,
# both in the same run: compressions per second on one core (SHA-NI when the CPU has it) give
# the ceiling of nonces per second per core (two compressions per nonce with midstate reuse);
# the miner's one-worker rate is reported as a share of it, then its all-cores rate.
# Usage: scripts/bench-miner.sh [seconds per figure, default 5]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$MINER_BIN" ] || "$SCRIPTS/build.sh"
grep -o -w -m1 sha_ni /proc/cpuinfo >/dev/null && echo "[bench-miner] CPU has SHA-NI" || echo "[bench-miner] CPU has no SHA-NI"
"$MINER_BIN" bench --seconds "${1:-5}"
