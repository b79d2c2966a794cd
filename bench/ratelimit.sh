#!/usr/bin/env bash
# Rate-limit utilisation: work on the packaged service against a fake provider that limits each of two keys to
# <limit> requests per <window-s>, in one of three styles: full (OpenAI's headers and bucket), limit_only (the
# limit header alone) or none (no headers; 429 + Retry-After only), the last two enforced over 1 s windows.
# The work is one job (job) or N concurrent streaming requests (requests:N).
# Prints one Markdown row (also appended to target/bench/ratelimit.md).
#   bench/ratelimit.sh [items=2000] [limit=100] [window-s=6] [latency-ms=300] [style=full] [via=job] [after-stop]
# after-stop: another service on the same database is stopped cleanly first, and this one starts a second later.
source "$(dirname "$0")/common.sh"
bench_build package
echo "| style | work | items | limit | provider latency | run | calls answered | of what the limit allowed | steady state | 429s | failed | lost |"
bench_java dev.catalogclassifier.bench.RateLimitBenchmark \
  "${1:-2000}" "${2:-100}" "${3:-6}" "${4:-300}" "${5:-full}" "${6:-job}" "${7:-}" | tee -a target/bench/ratelimit.md
