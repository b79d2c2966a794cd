# Sourced by the bench/*.sh scripts: JDK 25, the build they need, and `bench_java <main class> <args…>`,
# which runs a benchmark driver from the test sources on the full test classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
mkdir -p target/bench

# $1: package (the packaged jar is measured) or test-compile (only classes are needed)
bench_build() {
  ./mvnw -B -ntp -q "$1" -DskipTests
  ./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
}

# BENCH_CLASSPATH: more entries, after the project's (bench/models.sh adds the models it fetched)
# BENCH_JAVA_OPTS: options for the benchmark's own JVM, such as -Dbench.statements=true or -Dbench.warm-up=8000
bench_java() {
  java ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)${BENCH_CLASSPATH:+:$BENCH_CLASSPATH}" "$@"
}
