#!/usr/bin/env bash
# Whether the service gets cheaper as it learns a catalogue and keeps its promise while it does, and whether the
# results it marks for review hold the wrong answers: ikea-dev by quarters of series, against the fake provider in
# oracle mode (right on 92 % of items), with learning and without (see docs/benchmarks.md).
#   bench/learning.sh [data.csv=bench/data/ikea-dev.csv] [taxonomy.json=bench/ikea-taxonomy.json]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.LearningBenchmark \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/learning.md
