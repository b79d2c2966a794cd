#!/usr/bin/env bash
# Fair share between streaming requests: <big> requests of <size> items sent together and one of <small> items
# sent <delay-ms> later, on the packaged service against the fake provider at <latency-ms>, <slots> concurrent
# calls. Prints per request when its first and last items arrived, and the wall time against the ideal.
#   bench/fairness.sh [big=3] [size=1000] [small=10] [delay-ms=1000] [latency-ms=500] [slots=64]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.FairnessBenchmark \
  "${1:-3}" "${2:-1000}" "${3:-10}" "${4:-1000}" "${5:-500}" "${6:-64}" | tee target/bench/fairness.md
