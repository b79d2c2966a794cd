#!/usr/bin/env bash
# Classification benchmark: the packaged service against the in-process fake OpenAI server at a fixed
# provider latency, once with the defaults and once limited to 6 concurrent calls (the old thread-pool
# prototype's min(32, cores + 4) on 2 cores). Results go to stdout and target/bench/results.md.
#   bench/run.sh [items=2000] [latency-ms=1000]
source "$(dirname "$0")/common.sh"
items=${1:-2000}
latency=${2:-1000}
bench_build package
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
       "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(java -version 2>&1 | head -1)"
  echo "command: bench/run.sh $items $latency"
  echo
  bench_java dev.catalogclassifier.bench.ClassificationBenchmark \
    target/quarkus-app/quarkus-run.jar "$items" "$latency" 1000 \
    defaults limit-6=CLASSIFIER_MAX_CONCURRENT_CALLS=6
} | tee target/bench/results.md
