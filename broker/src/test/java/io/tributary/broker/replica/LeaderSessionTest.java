package io.tributary.broker.replica;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.broker.partition.PartitionListener;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.proto.replica.v1.PartitionRef;
import io.tributary.proto.replica.v1.ReplicaFetchPartition;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's fetch session: incremental answers, long polls, and every error it reports. */
@Tag("unit")
class LeaderSessionTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int FOLLOWER = 2;

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    private final DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test");
    private final List<ReplicaFetchResponse> answers = new ArrayList<>();
    private final List<ApiException> failures = new ArrayList<>();
    private Partition leader;
    private MetadataImage image = MetadataImage.EMPTY;
    private LeaderSession session;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        leader = partitions.partition(dir.resolve(TP.toString()), "id", 1, 0, new PartitionListener() {
            @Override
            public void onHighWatermarkAdvanced(Partition partition) {
                purgatory.checkAndComplete(TP);
            }

            @Override
            public void onLogAppended(Partition partition) {
                purgatory.checkAndComplete(TP);
            }
        });
        leader.makeLeader(3, List.of(1, FOLLOWER), List.of(1, FOLLOWER), 0, 0);
        session = session(tp -> tp.equals(TP) ? leader : null);
    }

    /** A session over {@code hosted}, answering into {@link #answers} and failing into {@link #failures}. */
    private LeaderSession session(Function<TopicPartition, Partition> hosted) {
        return new LeaderSession(hosted, () -> image, purgatory, new IsrChangeSender(1, () -> 1,
                r -> CompletableFuture.failedFuture(new IllegalStateException("none")), 100, Time.SYSTEM),
                Time.SYSTEM, 1 << 20, new LeaderSession.Sink() {
                    @Override
                    public synchronized void send(ReplicaFetchResponse response) {
                        answers.add(response);
                    }

                    @Override
                    public synchronized void fail(ApiException error) {
                        failures.add(error);
                    }
                });
    }

    @AfterEach
    void tearDown() {
        purgatory.close();
        partitions.close();
    }

    private void append(String value) {
        leader.appendAsLeader(new RecordBatchBuilder().append(0, null, value.getBytes(StandardCharsets.UTF_8)).build(),
                0);
    }

    private static ReplicaFetchRequest.Builder request(int maxWaitMs) {
        return ReplicaFetchRequest.newBuilder().setReplicaId(FOLLOWER).setBrokerEpoch(10).setMaxWaitMs(maxWaitMs);
    }

    private static ReplicaFetchPartition state(int epoch, long fetchOffset, int lastFetchedEpoch) {
        return ReplicaFetchPartition.newBuilder().setTopic(TP.topic()).setPartition(TP.partition()).setTopicId("id")
                .setCurrentLeaderEpoch(epoch).setFetchOffset(fetchOffset).setLastFetchedEpoch(lastFetchedEpoch)
                .setDurableOffset(fetchOffset).build();
    }

    private synchronized ReplicaFetchResponse lastAnswer() {
        return answers.get(answers.size() - 1);
    }

    private synchronized int answerCount() {
        return answers.size();
    }

    @Test
    void answersWithRecordsThenOnlyWithNewsAndParksWhenThereIsNone() {
        append("a");
        session.onRequest(request(0).addPartitions(state(3, 0, -1)).build());
        ReplicaPartitionData first = lastAnswer().getPartitions(0);
        assertTrue(first.getRecordBatches().size() > 0);

        session.onRequest(request(0).addPartitions(state(3, 1, 3)).build());
        assertEquals(1, lastAnswer().getPartitions(0).getHighWatermark(), "the fetch at 1 committed offset 0");
        assertEquals(0, lastAnswer().getPartitions(0).getRecordBatches().size());

        session.onRequest(request(60_000).build());
        assertEquals(2, answerCount(), "nothing new: the request waits");
        append("b");
        await().atMost(10, TimeUnit.SECONDS).until(() -> answerCount() == 3);
        assertTrue(lastAnswer().getPartitions(0).getRecordBatches().size() > 0, "the append answered the parked fetch");
    }

    @Test
    void partitionErrorsAreReportedOnceAndTheEntryLeavesTheSession() {
        session.onRequest(request(0).addPartitions(state(2, 0, -1)).build());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, lastAnswer().getPartitions(0).getErrorCode());
        session.onRequest(request(0).addPartitions(state(4, 0, -1)).build());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH, lastAnswer().getPartitions(0).getErrorCode());
        session.onRequest(request(0).addPartitions(state(3, 5, -1)).build());
        ReplicaPartitionData outOfRange = lastAnswer().getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, outOfRange.getErrorCode());
        assertEquals(0, outOfRange.getLogEndOffset());
        assertTrue(outOfRange.getErrorMessage().contains("outside the leader's log [0, 0]"), outOfRange.getErrorMessage());
        session.onRequest(request(0).addPartitions(state(3, 0, -1).toBuilder().setPartition(7)).build());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, lastAnswer().getPartitions(0).getErrorCode());
        session.onRequest(request(0).addPartitions(state(3, 0, -1).toBuilder().setTopicId("older")).build());
        ReplicaPartitionData otherIncarnation = lastAnswer().getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, otherIncarnation.getErrorCode());
        assertTrue(otherIncarnation.getErrorMessage().contains("it hosts topic id id"),
                otherIncarnation.getErrorMessage());
        session.onRequest(request(0).build());
        assertEquals(0, lastAnswer().getPartitionsCount(), "no entry is left in the session");

        leader.makeFollower(3, 4, List.of(3));
        session.onRequest(request(0).addPartitions(state(4, 0, -1)).build());
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, lastAnswer().getPartitions(0).getErrorCode());
    }

    @Test
    void aPartitionThatGotRecordsIsAnsweredLastNextTime() {
        TopicPartition other = new TopicPartition("t", 1);
        Partition second = partitions.partition(other, 1);
        second.makeLeader(3, List.of(1, FOLLOWER), List.of(1, FOLLOWER), 0, 0);
        LeaderSession twoPartitions = session(tp -> tp.equals(TP) ? leader : tp.equals(other) ? second : null);
        append("a");
        second.appendAsLeader(new RecordBatchBuilder().append(0, null, new byte[] {1}).build(), 0);
        twoPartitions.onRequest(request(0).addPartitions(state(3, 0, -1))
                .addPartitions(state(3, 0, -1).toBuilder().setPartition(1)).setMaxBytes(1).build());
        assertEquals(List.of(0, 1), lastAnswer().getPartitionsList().stream().map(ReplicaPartitionData::getPartition)
                .toList(), "the byte budget of 1 gives the first partition its batch, the second only news");
        assertTrue(lastAnswer().getPartitions(1).getRecordBatches().isEmpty());
        twoPartitions.onRequest(request(0).addPartitions(state(3, 1, 3)).build());
        assertEquals(1, lastAnswer().getPartitions(0).getPartition(), "the partition that waited comes first");
        assertTrue(lastAnswer().getPartitions(0).getRecordBatches().size() > 0);
    }

    @Test
    void aRemovedPartitionIsNoLongerAnswered() {
        session.onRequest(request(0).addPartitions(state(3, 0, -1)).build());
        session.onRequest(request(0).addRemoved(PartitionRef.newBuilder().setTopic("t").setPartition(0)).build());
        append("a");
        session.onRequest(request(0).build());
        assertEquals(0, lastAnswer().getPartitionsCount());
    }

    @Test
    void aStaleBrokerEpochEndsTheStream() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replay(MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                .setBrokerId(FOLLOWER).setBrokerEpoch(11).setIncarnationId("x").setHost("h").setPort(1)).build(), 11);
        image = delta.apply();
        session.onRequest(request(0).addPartitions(state(3, 0, -1)).build());
        assertInstanceOf(StaleBrokerEpochException.class, failures.get(0));
        assertTrue(failures.get(0).getMessage().contains("current registration has epoch 11"));
    }

    @Test
    void malformedRequestsEndTheStream() {
        session.onRequest(request(0).addPartitions(state(3, 0, -1)).build());
        session.onRequest(request(60_000).build());
        assertEquals(1, answerCount(), "the second request is parked");
        session.onRequest(request(0).build());
        assertInstanceOf(InvalidRequestException.class, failures.get(0));
        assertTrue(failures.get(0).getMessage().contains("before the previous one was answered"));
    }

    @Test
    void aNegativeOffsetOrAnotherReplicaIdIsInvalid() {
        session.onRequest(request(0).addPartitions(state(3, -1, -1)).build());
        assertTrue(failures.get(0).getMessage().contains("at fetch offset -1 is invalid"), failures.get(0).getMessage());
    }
}
