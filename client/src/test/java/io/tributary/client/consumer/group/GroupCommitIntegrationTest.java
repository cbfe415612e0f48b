package io.tributary.client.consumer.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupNotEmptyException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.PartitionNotAssignedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Committed offsets through the consumer against a real node. */
@Tag("integration")
class GroupCommitIntegrationTest extends GroupNodeTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @BeforeEach
    void createTopic() {
        node.createTopic(TOPIC, 2, Map.of());
    }

    private TributaryConsumer<String, String> consumer(Map<String, Object> overrides) {
        Map<String, Object> config = GroupTestSupport.consumerConfig(node, "g");
        config.putAll(overrides);
        return new TributaryConsumer<>(config);
    }

    @Test
    void commitSyncCommittedRoundTripAndTheNextMemberStartsThere() {
        GroupTestSupport.produce(node, TOPIC, 2, 20);
        try (TributaryConsumer<String, String> consumer = consumer(Map.of("enable.auto.commit", "false"))) {
            consumer.subscribe(List.of(TOPIC));
            GroupTestSupport.awaitAssignment(consumer, 2);
            ConsumerGroupMetadata metadata = consumer.groupMetadata();
            assertEquals("g", metadata.groupId());
            assertTrue(metadata.generationId() > 0 && !metadata.memberId().isEmpty(), metadata.toString());
            assertEquals(Optional.empty(), metadata.groupInstanceId());

            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(P0, P1));
            assertNull(committed.get(P0));
            assertNull(committed.get(P1));
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(7, "seven"), P1, new OffsetAndMetadata(3)));
            committed = consumer.committed(Set.of(P0, P1));
            assertEquals(7, committed.get(P0).offset());
            assertEquals("seven", committed.get(P0).metadata());
            assertEquals(3, committed.get(P1).offset());
        }
        try (TributaryConsumer<String, String> next = consumer(Map.of("enable.auto.commit", "false"))) {
            next.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                next.poll(Duration.ofMillis(50)).forEach(records::add);
                return records.size() >= 13 + 17;
            });
            assertEquals(7, records.stream().filter(r -> r.partition() == 0).mapToLong(ConsumerRecord::offset).min()
                    .orElseThrow(), "the next member starts partition 0 at the committed offset");
            assertEquals(3, records.stream().filter(r -> r.partition() == 1).mapToLong(ConsumerRecord::offset).min()
                    .orElseThrow());
            next.commitSync();
            assertEquals(20, next.committed(Set.of(P0)).get(P0).offset(), "commitSync() commits the positions");
            assertEquals(20, next.position(P1));
        }
    }

    @Test
    void autoCommitCommitsConsumedPositionsPeriodicallyAndOnClose() {
        GroupTestSupport.produce(node, TOPIC, 2, 5);
        try (TributaryConsumer<String, String> consumer = consumer(Map.of("auto.commit.interval.ms", "100"))) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(50)).forEach(records::add);
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(P0, P1));
                return records.size() == 10 && committed.get(P0) != null && committed.get(P0).offset() == 5
                        && committed.get(P1) != null && committed.get(P1).offset() == 5;
            });
            GroupTestSupport.produce(node, TOPIC, 2, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(50)).forEach(records::add);
                return records.size() == 12;
            });
        }
        try (TributaryConsumer<String, String> reader = consumer(Map.of())) {
            assertEquals(6, reader.committed(Set.of(P0)).get(P0).offset(), "close() committed the last positions");
            assertEquals(6, reader.committed(Set.of(P1)).get(P1).offset());
        }
    }

    @Test
    void aMemberCannotCommitAPartitionAnotherMemberOwns() {
        // Without auto-commit: a revocation would commit the position of the partition that moves.
        try (TributaryConsumer<String, String> a = consumer(Map.of("enable.auto.commit", "false"));
             TributaryConsumer<String, String> b = consumer(Map.of("enable.auto.commit", "false"))) {
            a.subscribe(List.of(TOPIC));
            b.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                a.poll(Duration.ofMillis(20));
                b.poll(Duration.ofMillis(20));
                return a.assignment().size() == 1 && b.assignment().size() == 1;
            });
            TopicPartition ofB = b.assignment().iterator().next();
            PartitionNotAssignedException e = assertThrows(PartitionNotAssignedException.class,
                    () -> a.commitSync(Map.of(ofB, new OffsetAndMetadata(1))));
            assertTrue(e.getMessage().contains(ofB.toString()), e.getMessage());
            assertNull(b.committed(Set.of(ofB)).get(ofB), "nothing was committed");
        }
    }

    @Test
    void assignUsersCommitAsNonMembersOnlyWhileTheGroupHasNone() {
        GroupTestSupport.produce(node, TOPIC, 2, 10);
        try (TributaryConsumer<String, String> manual = consumer(Map.of())) {
            manual.assign(List.of(P0));
            manual.commitSync(Map.of(P0, new OffsetAndMetadata(4)));
            assertEquals(4, manual.committed(Set.of(P0)).get(P0).offset());
            assertEquals(-1, manual.groupMetadata().generationId());
            assertThrows(IllegalStateException.class, () -> manual.subscribe(List.of(TOPIC)));

            try (TributaryConsumer<String, String> member = consumer(Map.of())) {
                member.subscribe(List.of(TOPIC));
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    member.poll(Duration.ofMillis(50)).forEach(records::add);
                    return records.stream().anyMatch(r -> r.partition() == 0);
                });
                assertEquals(4, records.stream().filter(r -> r.partition() == 0).findFirst().orElseThrow().offset(),
                        "a new member starts at the committed offset");
                assertThrows(IllegalStateException.class, () -> member.assign(List.of(P1)));
                assertThrows(GroupNotEmptyException.class, () -> manual.commitSync(Map.of(P0, new OffsetAndMetadata(5))));
            }
        }
    }

    @Test
    void commitAsyncReportsToItsCallbackInALaterCall() {
        try (TributaryConsumer<String, String> consumer = consumer(Map.of("enable.auto.commit", "false"))) {
            consumer.subscribe(List.of(TOPIC));
            GroupTestSupport.awaitAssignment(consumer, 2);
            AtomicReference<Map<TopicPartition, OffsetAndMetadata>> reported = new AtomicReference<>();
            AtomicReference<Exception> error = new AtomicReference<>();
            consumer.commitAsync(Map.of(P1, new OffsetAndMetadata(2)), (offsets, e) -> {
                reported.set(offsets);
                error.set(e);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(20));
                return reported.get() != null;
            });
            assertNull(error.get());
            assertEquals(2, consumer.committed(Set.of(P1)).get(P1).offset());
        }
    }

    @Test
    void withoutGroupIdGroupCallsFailWithInvalidGroupId() {
        Map<String, Object> config = GroupTestSupport.consumerConfig(node, "unused");
        config.remove("group.id");
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(config)) {
            assertThrows(InvalidGroupIdException.class, () -> consumer.subscribe(List.of(TOPIC)));
            assertThrows(InvalidGroupIdException.class, () -> consumer.commitSync(Map.of(P0, new OffsetAndMetadata(1))));
            assertThrows(InvalidGroupIdException.class, () -> consumer.committed(Set.of(P0)));
            assertThrows(InvalidGroupIdException.class, consumer::groupMetadata);
            assertThrows(IllegalStateException.class, () -> consumer.poll(Duration.ZERO));
            assertEquals(Set.of(), consumer.subscription());
        }
    }
}
