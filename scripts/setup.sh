#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, run and test Computility. Idempotent:
# every step checks first and does nothing when the tool is already there.
#
#   - Rust: the WASM targets and rust-src (the runtime is compiled to WASM)
#   - protoc and clang (libp2p and the node's native dependencies)
#   - Node.js packages for the polkadot-js clients and the zombienet CLI (scripts/package-lock.json)
#   - para, the third-party Stratum V1 miner the Stratum tests use (built once into a cache)
#
#   scripts/setup.sh [all|base|para]
#
# `base` is everything but para (what building and running need; seconds when done before),
# `para` only para (about 6 minutes the first time on two cores: scripts/test.sh builds it in the
# background while the node builds), `all` (the default) both.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WHAT="${1:-all}"
case "$WHAT" in all|base|para) ;; *) echo "usage: $0 [all|base|para]" >&2; exit 2 ;; esac
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		echo "[setup] need root for: $*" >&2; return 1; fi
}

if [ "$WHAT" != para ]; then
# --- Rust -------------------------------------------------------------------------------------
if ! command -v cargo >/dev/null; then
	if [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; else
		say "installing rustup"; curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
		export PATH="$HOME/.cargo/bin:$PATH"; fi
fi
installed_targets="$(rustup target list --installed)"
for t in wasm32-unknown-unknown wasm32v1-none; do
	if ! grep -qx "$t" <<<"$installed_targets"; then say "adding rust target $t"; rustup target add "$t"; fi
done
if ! rustup component list --installed | grep -q '^rust-src'; then
	say "adding rust-src"; rustup component add rust-src
fi

# --- System packages --------------------------------------------------------------------------
need=()
command -v protoc >/dev/null || need+=(protobuf-compiler)
command -v clang >/dev/null || need+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 || need+=(libclang-dev)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v curl >/dev/null || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
	say "installing ${need[*]}"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- Node.js packages (polkadot-js, zombienet CLI), locked by package-lock.json ---------------
if [ ! -x "$HERE/node_modules/.bin/zombienet" ] || [ ! -d "$HERE/node_modules/@polkadot/api" ] ||
	[ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
	say "installing Node.js packages (npm ci)"
	(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
fi

# --- A third-party Stratum V1 CPU miner for the Stratum tests: para 0.6.0 from crates.io ----------
# (`para miner HOST:PORT --username <bitcoin address>.<worker>`), built once into a cache
# outside the clone; not our code, so it is not in our workspace or lock file.
PARA_VERSION=0.6.0
TOOLS_DIR="${TOOLS_DIR:-${COMPUTILITY_TOOLS:-$HOME/.cache/computility-tools}}"
PARA_BIN="${PARA_BIN:-$TOOLS_DIR/bin/para}"
if [ "$WHAT" != base ] && { [ ! -x "$PARA_BIN" ] || ! "$PARA_BIN" --version 2>/dev/null | grep -q "$PARA_VERSION"; }; then
	say "installing para $PARA_VERSION (Stratum V1 CPU miner) into $TOOLS_DIR (about 6 minutes)"
	env -u CARGO_TARGET_DIR cargo install --locked --quiet --root "$TOOLS_DIR" para --version "$PARA_VERSION"
fi
say "ready ($WHAT)"
