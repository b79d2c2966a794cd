#!/usr/bin/env bash
# Rate-limit utilisation: one durable job on the packaged service against a fake provider that limits each of
# two keys to <limit> requests per <window-s> (a token bucket, reported in x-ratelimit-* headers, 429 beyond).
# Prints one Markdown row (also appended to target/bench/ratelimit.md).
#   bench/ratelimit.sh [items=2000] [limit=100] [window-s=6] [latency-ms=300]
source "$(dirname "$0")/common.sh"
bench_build package
echo "| items | limit | provider latency | run | calls answered | of what the limit allowed | steady state | 429s | failed | lost |"
bench_java dev.catalogclassifier.bench.RateLimitBenchmark \
  "${1:-2000}" "${2:-100}" "${3:-6}" "${4:-300}" | tee -a target/bench/ratelimit.md
