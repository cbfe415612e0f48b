package io.tributary.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tributary.client.PartitionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BuiltInPartitionerTest {

    private static List<PartitionInfo> partitions(int count, int leaderless) {
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            infos.add(new PartitionInfo("t", p, p == leaderless ? -1 : 1, 0, List.of(1), List.of(1)));
        }
        return infos;
    }

    @Test
    void keyedRecordsUseMurmur2() {
        BuiltInPartitioner partitioner = new BuiltInPartitioner(100, false);
        byte[] key = "foobar".getBytes(StandardCharsets.UTF_8);
        assertEquals(Murmur2.partitionForKey(key, 6), partitioner.partition("t", key, partitions(6, -1), 10));
    }

    @Test
    void unkeyedRecordsStickUntilABatchWorthOfBytesThenMove() {
        BuiltInPartitioner partitioner = new BuiltInPartitioner(100, false);
        List<PartitionInfo> infos = partitions(4, -1);
        int first = partitioner.partition("t", null, infos, 30);
        assertEquals(first, partitioner.partition("t", null, infos, 30));
        assertEquals(first, partitioner.partition("t", null, infos, 30));
        assertEquals(first, partitioner.partition("t", null, infos, 30));
        assertNotEquals(first, partitioner.partition("t", null, infos, 30), "120 bytes went to it: switch");
    }

    @Test
    void stickyChoiceAvoidsPartitionsWithoutALeader() {
        BuiltInPartitioner partitioner = new BuiltInPartitioner(1, false);
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(partitioner.partition("t", null, partitions(3, 1), 10));
        }
        assertEquals(Set.of(0, 2), chosen);
    }

    @Test
    void ignoreKeysSpreadsKeyedRecordsLikeUnkeyedOnes() {
        BuiltInPartitioner partitioner = new BuiltInPartitioner(1, true);
        Set<Integer> chosen = new HashSet<>();
        byte[] key = "same".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 200; i++) {
            chosen.add(partitioner.partition("t", key, partitions(4, -1), 10));
        }
        assertEquals(4, chosen.size());
    }
}
