#!/usr/bin/env bash
# Durable-job benchmark: one job on the packaged service with an embedded PostgreSQL, against the fake
# provider at a fixed latency. Prints one Markdown row (also appended to target/bench/jobs.md).
#   bench/jobs.sh [items=10000] [latency-ms=1000] [concurrent-calls=64] [service JVM options, e.g. -Xmx256m] \
#                 [profile: prod (in-process channel), or prod,rabbitmq (the broker on 127.0.0.1:5672)]
source "$(dirname "$0")/common.sh"
bench_build package
echo "| items | provider latency | concurrent calls | submit (202) | wall | ideal | of ideal | rows stored/s | peak RSS MB | counts |"
bench_java dev.catalogclassifier.bench.JobBenchmark \
  "${1:-10000}" "${2:-1000}" "${3:-64}" "${4:-}" "${5:-prod}" | tee -a target/bench/jobs.md
