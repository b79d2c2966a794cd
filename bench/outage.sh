#!/usr/bin/env bash
# Provider outage benchmark: a job on the packaged service, the fake provider's port closed after a fifth of
# it for <outage> seconds and opened again. Prints one Markdown row (also in target/bench/outage.md).
#   bench/outage.sh [items=3000] [outage-seconds=60]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.OutageRun "${1:-3000}" "${2:-60}" | tee target/bench/outage.md
