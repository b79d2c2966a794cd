#!/usr/bin/env bash
# Accuracy of the in-process classifier on ../shared/data/ikea-dev.csv (see docs/benchmarks.md).
#   bench/accuracy.sh [data.csv=../shared/data/ikea-dev.csv] [taxonomy.json=bench/ikea-taxonomy.json]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
java -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" dev.catalogclassifier.bench.AccuracyBenchmark \
  "${1:-../shared/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/accuracy.md
