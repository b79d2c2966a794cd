#!/usr/bin/env bash
# Tokens and cost per item: one request per pack size on real catalogue items, then the same items as a realtime
# job (alone and at pack 10) and a batch-api job, on the packaged service against the fake provider (which counts tokens from the text).
#   bench/cost.sh [items=200] [pack sizes=1,5,10,20]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.CostBenchmark "${1:-200}" "${2:-1,5,10,20}" | tee -a target/bench/cost.md
