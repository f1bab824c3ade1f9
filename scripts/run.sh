#!/usr/bin/env bash
# Sets up, builds and starts a development chain: one validator (Alice), blocks every 6 s,
# finalised by GRANDPA, RPC on ws://127.0.0.1:9944, Prometheus on 9615. Extra arguments go to
# the node (e.g. `./scripts/run.sh --chain local --alice`). State is temporary unless you pass
# `--base-path`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$SCRIPTS/build.sh"
args=("$@")
if [ "${#args[@]}" -eq 0 ]; then args=(--dev); fi
echo "[run] $NODE_BIN ${args[*]} --rpc-port 9944"
exec "$NODE_BIN" "${args[@]}" --rpc-port 9944 --rpc-cors all --prometheus-port 9615
