#!/usr/bin/env bash
# Named-taxonomy benchmark: PUT a taxonomy of N distinct examples built from bench/data/ikea-dev.csv to the
# packaged service (embedded PostgreSQL, no key), then classify 1,000 items by it. Prints one Markdown row
# (also appended to target/bench/taxonomy.md).
#   bench/taxonomy.sh [examples=50000] [data.csv=bench/data/ikea-dev.csv]
source "$(dirname "$0")/common.sh"
bench_build package
echo "| examples | PUT answered | ready (embed + store) | stored rows/s | 1,000 items classified | items/s | peak RSS MB |"
bench_java dev.catalogclassifier.bench.TaxonomyBenchmark \
  "${1:-50000}" "${2:-bench/data/ikea-dev.csv}" | tee -a target/bench/taxonomy.md
