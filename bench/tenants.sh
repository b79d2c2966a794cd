#!/usr/bin/env bash
# Fair share between tenants: tenant A's job of <job-items> items runs while tenant B sends <rounds> requests of
# <small> items, <gap-ms> apart, on the packaged service (API keys required) against the fake provider at
# <latency-ms>, <slots> concurrent calls. Prints B's wall times alone and beside A's job, in provider latencies.
#   bench/tenants.sh [job-items=10000] [small=10] [rounds=5] [gap-ms=2000] [latency-ms=500] [slots=64]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.TenantFairnessBenchmark \
  "${1:-10000}" "${2:-10}" "${3:-5}" "${4:-2000}" "${5:-500}" "${6:-64}" | tee target/bench/tenants.md
