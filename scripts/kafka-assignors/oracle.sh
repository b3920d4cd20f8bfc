#!/bin/bash
# Builds Kafka's own assignor classes with the harness and compares them with this repository's
# assignors on random cases. Needs a JDK (17+) and a checkout of apache/kafka (KAFKA_SRC; checked
# with commit 1eb7644349cb07139d6a3c1ad1986979647cac99, Kafka 3.9 era). Kafka's sources are
# copied into a scratch directory, never into this repository.
#   KAFKA_SRC=~/kafka scripts/kafka-assignors/oracle.sh [SEED] [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
: "${KAFKA_SRC:?set KAFKA_SRC to an apache/kafka checkout}"
work=$(mktemp -d)
main=clients/src/main/java
for f in clients/consumer/ConsumerPartitionAssignor clients/consumer/RangeAssignor clients/consumer/RoundRobinAssignor \
  clients/consumer/internals/AbstractPartitionAssignor clients/consumer/internals/AbstractStickyAssignor clients/consumer/internals/Utils \
  common/TopicPartition common/Node common/PartitionInfo common/Cluster common/utils/CircularIterator common/Configurable \
  common/KafkaException common/TopicIdPartition common/Uuid common/ClusterResource; do
  mkdir -p "$work/src/org/apache/kafka/$(dirname "$f")"
  cp "$KAFKA_SRC/$main/org/apache/kafka/$f.java" "$work/src/org/apache/kafka/$f.java"
done
cp -r "$here/stubs/." "$work/src/"
mkdir -p "$work/src/harness" "$work/out"
cp "$here/Harness.java" "$work/src/harness/"
javac -d "$work/out" $(find "$work/src" -name '*.java')
cd "$repo"
npx tsx scripts/kafka-assignors/generate-cases.ts "${1:-1}" "${2:-5000}" > "$work/cases.txt"
java -cp "$work/out" harness.Harness < "$work/cases.txt" > "$work/kafka.txt"
npx tsx scripts/kafka-assignors/run-ts.ts < "$work/cases.txt" > "$work/ours.txt"
paste -d'\n' "$work/cases.txt" "$work/kafka.txt" "$work/ours.txt" | awk '
  NR%3==1{c=$0} NR%3==2{k=$0}
  NR%3==0{ if (k!=$0 && !(k ~ /^ERROR/ && $0 ~ /^ERROR/)) { n++; if (n<=3) print "case  " c "\nkafka " k "\nours  " $0 } }
  END { print n+0 " of " NR/3 " cases differ" }'
