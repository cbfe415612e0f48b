package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class GroupAdminTypesTest {

    @Test
    void statesParseTheProtocolsSpellingInAnyCaseAndPrintIt() {
        assertEquals(ConsumerGroupState.STABLE, ConsumerGroupState.parse("Stable"));
        assertEquals(ConsumerGroupState.EMPTY, ConsumerGroupState.parse("empty"));
        assertEquals(ConsumerGroupState.RECONCILING, ConsumerGroupState.parse("RECONCILING"));
        assertEquals(ConsumerGroupState.UNKNOWN, ConsumerGroupState.parse("PreparingRebalance"));
        assertEquals("Assigning", ConsumerGroupState.ASSIGNING.toString());
    }

    @Test
    void memberAssignmentsIterateInTopicAndPartitionOrderAndCannotBeChanged() {
        MemberDescription member = new MemberDescription("m", null, "c", "/127.0.0.1", 3,
                Set.of(new TopicPartition("b", 0), new TopicPartition("a", 10), new TopicPartition("a", 2)), Set.of());

        assertEquals(List.of("a-2", "a-10", "b-0"), member.assignment().stream().map(TopicPartition::toString).toList());
        assertEquals(Optional.empty(), member.groupInstanceId());
        assertThrows(UnsupportedOperationException.class, () -> member.assignment().clear());
        assertThrows(NullPointerException.class, () -> new MemberDescription(null, Optional.empty(), "c", "h", 1,
                Set.of(), Set.of()));
    }

    @Test
    void stateFiltersAreCopied() {
        Set<ConsumerGroupState> wanted = new HashSet<>(Set.of(ConsumerGroupState.EMPTY));
        ListConsumerGroupsOptions options = new ListConsumerGroupsOptions().inStates(wanted);
        wanted.add(ConsumerGroupState.STABLE);

        assertEquals(Set.of(ConsumerGroupState.EMPTY), options.states());
        assertEquals(Set.of(), new ListConsumerGroupsOptions().states());
        assertEquals(Set.of(), options.inStates(Set.of()).states());
    }

    @Test
    void perPartitionResultsRejectPartitionsNotRequested() {
        TopicPartition requested = new TopicPartition("t", 0);
        Map<TopicPartition, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        futures.put(requested, CompletableFuture.completedFuture(null));
        AlterConsumerGroupOffsetsResult altered = new AlterConsumerGroupOffsetsResult(futures);
        DeleteConsumerGroupOffsetsResult deleted = new DeleteConsumerGroupOffsetsResult(futures);

        assertTrue(altered.partitionResult(requested).isDone());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> deleted.partitionResult(new TopicPartition("t", 1)));
        assertEquals("partition t-1 was not part of the request", error.getMessage());
    }
}
