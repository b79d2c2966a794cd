#!/usr/bin/env bash
# Every in-process embedding model LangChain4j publishes on Maven Central, on bench/data/ikea-dev.csv
# (see docs/benchmarks.md). Fetches the models into target/bench/models: the build itself carries only the shipped one.
#   bench/models.sh [data.csv=bench/data/ikea-dev.csv] [taxonomy.json=bench/ikea-taxonomy.json]
source "$(dirname "$0")/common.sh"
bench_build test-compile
version=$(sed -n 's:.*<langchain4j-embeddings.version>\(.*\)</langchain4j-embeddings.version>.*:\1:p' pom.xml)
for model in all-minilm-l6-v2 bge-small-en-v15-q bge-small-en-v15 bge-small-en-q bge-small-en e5-small-v2-q e5-small-v2; do
  ./mvnw -B -ntp -q dependency:copy -Dartifact="dev.langchain4j:langchain4j-embeddings-$model:$version" \
    -DoutputDirectory=target/bench/models
done
BENCH_CLASSPATH="target/bench/models/*" bench_java dev.catalogclassifier.bench.ModelComparison \
  "${1:-bench/data/ikea-dev.csv}" "${2:-bench/ikea-taxonomy.json}" | tee target/bench/models.md
