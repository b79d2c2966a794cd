#!/usr/bin/env bash
# Accuracy of the in-process classifier on bench/data/ikea-dev.csv, then whether the cascade's calibration keeps its
# promise on series it never saw, with the supervised head and without, in process and through the packaged
# service's API (see docs/benchmarks.md).
#   bench/accuracy.sh [data.csv=bench/data/ikea-dev.csv] [taxonomy.json=bench/ikea-taxonomy.json]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.AccuracyBenchmark \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/accuracy.md
bench_java dev.catalogclassifier.bench.CascadeBenchmark \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/cascade.md
bench_java dev.catalogclassifier.bench.CascadeHttpBenchmark \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/cascade-http.md
