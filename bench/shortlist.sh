#!/usr/bin/env bash
# Taxonomies too large for one prompt: shortlist recall@K of ikea-dev against Google's 5,595 paths (in process),
# then, on the packaged service (embedded PostgreSQL, fake provider counting tokens), the PUT of 5,595 and 20,000
# categories and prompt tokens per item against a 25-category taxonomy. Appends to target/bench/shortlist.md.
#   bench/shortlist.sh [items classified through the service=300]
source "$(dirname "$0")/common.sh"
bench_build package
bench_java dev.catalogclassifier.bench.ShortlistBenchmark "${1:-300}" | tee -a target/bench/shortlist.md
