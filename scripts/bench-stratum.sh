#!/usr/bin/env bash
# Built-in workers vs a third-party Stratum V1 miner through computility-miner, same run.
# Usage: scripts/bench-stratum.sh [seconds per figure, default 30]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$MINER_BIN" ] || "$SCRIPTS/build.sh"
"$SCRIPTS/setup.sh" para
node "$SCRIPTS/bench-stratum.js" "${1:-30}"
