# Shared settings for the scripts; source it, don't run it.
# One target directory outside the clone, shared by every clone on this machine, and one
# profile and feature set for build and test, so nothing is compiled twice.
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/computility-target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPTS="$ROOT/scripts"
CARGO_FLAGS=(--release --locked --workspace --features runtime-benchmarks)
NODE_BIN="$CARGO_TARGET_DIR/release/computility-node"
MINER_BIN="$CARGO_TARGET_DIR/release/computility-miner"
# Third-party tools the tests use (scripts/setup.sh installs them here).
TOOLS_DIR="${COMPUTILITY_TOOLS:-$HOME/.cache/computility-tools}"
PARA_BIN="$TOOLS_DIR/bin/para"
export ROOT SCRIPTS NODE_BIN MINER_BIN TOOLS_DIR PARA_BIN
# The target directory is outside the clone: tell the WASM builder where the workspace is.
export WASM_BUILD_WORKSPACE_HINT="$ROOT"
# frame-benchmarking-cli carries a test runtime for `benchmark storage`, which this node does
# not offer; skip compiling it to WASM (saves minutes on a cold build). Set for every command
# so that build and test see the same environment.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
