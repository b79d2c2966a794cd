#!/usr/bin/env bash
# End to end into Google's Product Taxonomy (5,595 paths) on the packaged service: IKEA items of ikea-dev, the LLM
# route, against the oracle fake right on <share> of the items whenever a right category is offered. Prints one
# Markdown row (also appended to target/bench/google.md) and, on stderr, how many calls offered no right category.
#   bench/google.sh [items=600] [share=0.92] [mode=text: text, pack (10 a call), batch (one Batch API job), photo (photo-only)]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.GoogleEndToEndBenchmark "${1:-600}" "${2:-0.92}" "${3:-text}" | tee -a target/bench/google.md
