#!/usr/bin/env bash
# Which head settings and confidence measure the cascade should use, explored on outer fold 0's training items only
# (inner grouped folds by series), so that fold 0 stays a clean check (see docs/benchmarks.md).
#   bench/head-exploration.sh [data.csv=bench/data/ikea-dev.csv] [taxonomy.json=bench/ikea-taxonomy.json]
source "$(dirname "$0")/common.sh"
bench_build test-compile
bench_java dev.catalogclassifier.bench.HeadExploration \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/head-exploration.md
