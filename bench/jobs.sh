#!/usr/bin/env bash
# Durable-job benchmark: one job on the packaged service with an embedded PostgreSQL, against the fake
# provider at a fixed latency. Prints one Markdown row (also appended to target/bench/jobs.md).
#   bench/jobs.sh [items=10000] [latency-ms=1000] [concurrent-calls=64]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
./mvnw -B -ntp -q package -DskipTests
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
echo "| items | provider latency | concurrent calls | submit (202) | wall | ideal | of ideal | rows stored/s | peak RSS MB | counts |"
java -cp "target/test-classes:$(cat target/bench/classpath.txt)" dev.catalogclassifier.bench.JobBenchmark \
  "${1:-10000}" "${2:-1000}" "${3:-64}" | tee -a target/bench/jobs.md
