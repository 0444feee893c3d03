#!/usr/bin/env bash
# What CI runs (without the package installs): format, lints, the core without the GUI, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
bash scripts/layers.sh
cargo clippy --all-targets -- -D warnings
cargo check --lib --no-default-features
cargo test
