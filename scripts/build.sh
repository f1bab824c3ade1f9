#!/usr/bin/env bash
# Builds the node (and everything in the workspace) with the one profile and feature set.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$SCRIPTS/setup.sh" base
cd "$ROOT"
echo "[build] cargo build ${CARGO_FLAGS[*]} (target dir $CARGO_TARGET_DIR)"
cargo build "${CARGO_FLAGS[@]}"
echo "[build] $NODE_BIN"
