package io.tributary.broker.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.replica.v1.ReplicaFetchPartition;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.storage.Log;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic leader-epoch divergence cases (KIP-101 and KIP-279), on real logs in temp dirs: two
 * replicas, the leader's {@link LeaderSession} answering the follower's fetches and
 * {@link FollowerApply} applying the answers. Each case ends with byte-identical logs, and shows
 * that truncation follows the leader's epochs rather than the follower's high watermark.
 */
@Tag("unit")
class ReplicaDivergenceTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int A = 1;
    private static final int B = 2;

    @TempDir
    Path dir;
    private final DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test");
    private PartitionFixture partitions;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
    }

    @AfterEach
    void tearDown() {
        purgatory.close();
        partitions.close();
    }

    /** Opens (or reopens, after a "restart") broker {@code id}'s replica from its directory. */
    private Partition replica(int id, long highWatermark) {
        return partitions.partition(dir.resolve("broker-" + id).resolve(TP.toString()), "topic-id", id, highWatermark,
                PartitionFixture.NO_EVENTS);
    }

    private Partition restart(int id, Partition replica) {
        long highWatermark = replica.highWatermark();
        partitions.closeLog(replica);
        return replica(id, highWatermark);
    }

    /** Replicas A (leader) and B (follower) at leader epoch {@code epoch}, both holding m1. */
    private Partition[] bothHoldM1(int epoch) {
        Partition a = replica(A, 0);
        Partition b = replica(B, 0);
        a.makeLeader(epoch, List.of(A, B), List.of(A, B), epoch, 0);
        b.makeFollower(A, epoch, List.of(A, B));
        append(a, "m1");
        replicate(a, b, B, epoch);
        return new Partition[] {a, b};
    }

    private static void append(Partition leader, String value) {
        ByteBuffer batch = new RecordBatchBuilder().append(0, null, value.getBytes(StandardCharsets.UTF_8)).build();
        leader.appendAsLeader(batch, 0);
    }

    /** The leader's side of a fresh fetch session; answers go to {@code answers}. */
    private LeaderSession session(Partition leader, List<ReplicaFetchResponse> answers) {
        return new LeaderSession(tp -> tp.equals(TP) ? leader : null, () -> MetadataImage.EMPTY, purgatory,
                new IsrChangeSender(0, () -> 1,
                        request -> CompletableFuture.failedFuture(new IllegalStateException("no controller")),
                        100, Time.SYSTEM), Time.SYSTEM, 1 << 20, new LeaderSession.Sink() {
                            @Override
                            public void send(ReplicaFetchResponse response) {
                                answers.add(response);
                            }

                            @Override
                            public void fail(ApiException error) {
                                throw error;
                            }
                        });
    }

    /** The request the fetcher sends for {@code follower} (broker {@code followerId}) at {@code epoch}. */
    private static ReplicaFetchRequest request(Partition follower, int followerId, int epoch) {
        Log log = follower.log();
        return ReplicaFetchRequest.newBuilder().setReplicaId(followerId).setBrokerEpoch(1).setMaxWaitMs(0)
                .addPartitions(ReplicaFetchPartition.newBuilder().setTopic(TP.topic()).setPartition(TP.partition())
                        .setTopicId("topic-id").setCurrentLeaderEpoch(epoch).setFetchOffset(log.logEndOffset())
                        .setLastFetchedEpoch(log.latestEpoch().orElse(-1)).setDurableOffset(log.recoveryPoint()))
                .build();
    }

    /** One fetch of {@code follower} (broker {@code followerId}) from {@code leader}; returns the answer. */
    private ReplicaPartitionData fetchOnce(Partition leader, Partition follower, int followerId, int epoch) {
        List<ReplicaFetchResponse> answers = new ArrayList<>();
        session(leader, answers).onRequest(request(follower, followerId, epoch));
        assertEquals(1, answers.size());
        ReplicaFetchResponse answer = answers.get(0);
        if (answer.getPartitionsCount() == 0) {
            return null;
        }
        ReplicaPartitionData data = answer.getPartitions(0);
        FollowerApply.apply(follower, epoch, data);
        return data;
    }

    /** Fetches until the follower has the leader's whole log; returns whether a divergence was reported. */
    private boolean replicate(Partition leader, Partition follower, int followerId, int epoch) {
        boolean diverged = false;
        for (int round = 0; round < 20; round++) {
            ReplicaPartitionData data = fetchOnce(leader, follower, followerId, epoch);
            if (data != null && !data.getErrorMessage().isEmpty()) {
                throw new AssertionError("fetch failed: " + data);
            }
            boolean news = data != null && (data.hasDivergingEpoch() || !data.getRecordBatches().isEmpty());
            diverged |= data != null && data.hasDivergingEpoch();
            if (!news && follower.logEndOffset() == leader.logEndOffset()) {
                return diverged;
            }
        }
        throw new AssertionError("the follower did not converge: leader " + leader + ", follower " + follower);
    }

    private static ByteBuffer bytes(Partition replica) {
        return replica.log().read(replica.logStartOffset(), Integer.MAX_VALUE, replica.logEndOffset(), true).records();
    }

    private static void assertIdentical(Partition a, Partition b) {
        assertEquals(a.logEndOffset(), b.logEndOffset(), "log end offsets");
        assertEquals(bytes(a), bytes(b), "log bytes");
    }

    private static String text(Partition replica) {
        return StandardCharsets.UTF_8.decode(bytes(replica)).toString();
    }

    @Test
    void leaderAndFollowerRestartBeforeTheHighWatermarkPropagates() {
        Partition a = replica(A, 0);
        Partition b = replica(B, 0);
        a.makeLeader(0, List.of(A, B), List.of(A, B), 0, 0);
        b.makeFollower(A, 0, List.of(A, B));
        append(a, "m1");
        append(a, "m2");
        fetchOnce(a, b, B, 0);
        session(a, new ArrayList<>()).onRequest(request(b, B, 0));
        assertEquals(2, b.logEndOffset());
        assertEquals(2, a.highWatermark(), "m2 is committed on the leader");
        assertTrue(b.highWatermark() < 2, "the follower has not yet learnt that m2 is committed");

        b = restart(B, b);
        a = restart(A, a);
        b.makeLeader(1, List.of(A, B), List.of(A, B), 1, 0);
        a.makeFollower(B, 1, List.of(A, B));
        boolean diverged = replicate(b, a, A, 1);

        assertEquals(2, b.logEndOffset(), "the restarted follower kept m2 instead of truncating to its high watermark");
        assertTrue(text(b).contains("m2"));
        assertIdentical(a, b);
        assertEquals(false, diverged);
    }

    @Test
    void replicasThatLostDifferentUnreplicatedTailsConvergeOnTheNewLeader() {
        Partition[] replicas = bothHoldM1(0);
        Partition a = replicas[0];
        Partition b = replicas[1];
        append(a, "m2");

        b.makeLeader(1, List.of(A, B), List.of(B), 1, 0);
        append(b, "m3");
        a.makeFollower(B, 1, List.of(B));
        boolean diverged = replicate(b, a, A, 1);

        assertTrue(diverged, "the leader reported the divergence at offset 1");
        assertIdentical(a, b);
        assertTrue(text(a).contains("m3") && !text(a).contains("m2"), "A dropped m2 and took m3");
    }

    @Test
    void twoQuickLeaderChangesWithUnreplicatedDataEndIdentical() {
        Partition[] replicas = bothHoldM1(1);
        Partition a = replicas[0];
        Partition b = replicas[1];

        b.makeLeader(2, List.of(A, B), List.of(A, B), 2, 0);
        append(b, "m2");
        a.makeFollower(B, 2, List.of(A, B));
        a.makeLeader(3, List.of(A, B), List.of(A), 3, 0);
        append(a, "m3");
        append(a, "m4");
        b.makeFollower(A, 3, List.of(A));
        boolean diverged = replicate(a, b, B, 3);

        assertTrue(diverged);
        assertIdentical(a, b);
        assertEquals("[m1, m3, m4]", values(b).toString());
        assertNotNull(b.log().epochEndOffset(3).orElse(null));
    }

    @Test
    void aFollowerThatLedWithoutAppendingDropsItsEmptyEpoch() {
        Partition[] replicas = bothHoldM1(1);
        Partition a = replicas[0];
        Partition b = replicas[1];

        b.makeLeader(2, List.of(A, B), List.of(A, B), 2, 0);
        b.makeFollower(A, 3, List.of(A, B));
        a.makeLeader(3, List.of(A, B), List.of(A, B), 3, 0);
        append(a, "m2");
        replicate(a, b, B, 3);

        assertIdentical(a, b);
        assertEquals(List.of("m1", "m2"), values(b));
    }

    private static List<String> values(Partition replica) {
        List<String> values = new ArrayList<>();
        for (io.tributary.common.record.RecordBatch batch
                : io.tributary.common.record.MemoryRecords.readableRecords(bytes(replica))) {
            for (io.tributary.common.record.Record record : batch.records()) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
