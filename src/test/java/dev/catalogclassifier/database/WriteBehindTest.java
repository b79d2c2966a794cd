package dev.catalogclassifier.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** Batches are whatever piled up, or with a linger what came within it, never more than the largest batch. */
class WriteBehindTest {

    private final List<List<Integer>> written = new CopyOnWriteArrayList<>();

    @Test
    void withoutALingerAnItemAloneIsWrittenAtOnce() {
        WriteBehind<Integer> writer = new WriteBehind<>("test-writer", 10, written::add, abandoned -> { });
        try {
            writer.add(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !written.isEmpty());
            assertThat(written).as("batches written").containsExactly(List.of(1));
        } finally {
            writer.stop();
        }
    }

    @Test
    void withALingerItemsThatFollowTheFirstJoinItsBatch() {
        WriteBehind<Integer> writer = new WriteBehind<>("test-writer", 3, Duration.ofMinutes(10), written::add,
                abandoned -> { });
        try {
            writer.add(1);
            // the first item is taken, so without the linger it would be written alone
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.waiting() == 0);
            writer.add(2);
            writer.add(3); // fills the batch: it goes without waiting out the linger
            await().atMost(Duration.ofSeconds(30)).until(() -> !written.isEmpty());
            assertThat(written).as("batches written").containsExactly(List.of(1, 2, 3));
        } finally {
            writer.stop();
        }
    }

    @Test
    void aFullBatchDoesNotWaitForTheLinger() {
        WriteBehind<Integer> writer = new WriteBehind<>("test-writer", 3, Duration.ofMinutes(10), written::add,
                abandoned -> { });
        try {
            for (int i = 1; i <= 4; i++) {
                writer.add(i);
            }
            // well within the ten-minute linger: the first batch is full, and goes
            await().atMost(Duration.ofSeconds(30)).until(() -> !written.isEmpty());
            assertThat(written.getFirst()).as("the first batch").containsExactly(1, 2, 3);
        } finally {
            writer.stop();
        }
    }
}
