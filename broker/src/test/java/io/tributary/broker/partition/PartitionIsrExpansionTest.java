package io.tributary.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.common.TopicPartition;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.controller.v1.IsrChange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which follower fetches make a leader propose an ISR expansion to the controller. */
@Tag("unit")
class PartitionIsrExpansionTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    private Partition leader;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        leader = partitions.partition(TP, 1);
    }

    @AfterEach
    void tearDown() {
        partitions.close();
    }

    /**
     * Replica 3 left the ISR in a controlled shutdown: it still fetched up to the high watermark while
     * fenced, then stopped. Replica 2's fetches on the idle partition must not propose 3 back (the
     * controller refuses fenced brokers, and the leader would propose it again at every fetch); 3
     * rejoins through its own fetches once its broker is active again.
     */
    @Test
    void aFencedFollowerAtTheHighWatermarkIsProposedOnlyByItsOwnEligibleFetch() {
        leader.makeLeader(4, List.of(1, 2, 3), List.of(1, 2), 7, 0);
        leader.appendAsLeader(new RecordBatchBuilder().append(0, null, "v".getBytes(StandardCharsets.UTF_8)).build(),
                0);

        assertEquals(Optional.empty(), leader.recordFollowerFetch(3, 1, 1, 0, false, 1), "3 is fenced");
        assertEquals(Optional.empty(), leader.recordFollowerFetch(2, 1, 1, 0, true, 2), "2 is in the ISR already");
        assertEquals(1, leader.highWatermark());
        assertEquals(Optional.empty(), leader.recordFollowerFetch(2, 1, 1, 0, true, 3),
                "2's fetch at the high watermark says nothing about 3");

        Optional<IsrChange> rejoin = leader.recordFollowerFetch(3, 1, 1, 0, true, 4);
        assertEquals(List.of(1, 2, 3), rejoin.orElseThrow().getNewIsrList(), "3 is active again and caught up");
    }
}
