#!/usr/bin/env bash
# Photo checks: images/s on generated 2,000x1,500 JPEGs, on the service's pool against one thread in the same
# process; and bytes per photo before and after scaling down (see docs/benchmarks.md).
#   bench/photos.sh [photos=500]
source "$(dirname "$0")/common.sh"
bench_build test-compile
bench_java dev.catalogclassifier.bench.PhotoBenchmark "${1:-500}" | tee -a target/bench/photos.md
