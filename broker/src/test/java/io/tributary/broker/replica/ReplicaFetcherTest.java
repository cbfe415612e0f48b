package io.tributary.broker.replica;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.broker.partition.PartitionListener;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.StorageException;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.FaultyFileIo;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's fetch loop against a scripted leader (the network is the fault-injection seam):
 * streams that fail or stay silent are reopened with every partition's full state, partition
 * errors back off, and out-of-range answers truncate the follower either way.
 */
@Tag("unit")
class ReplicaFetcherTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int LEADER = 5;

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    /** Every request sent, tagged with the number of the stream (from 1) it went on. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every partition a request asked the leader to drop from the session. */
    private final List<String> removed = new CopyOnWriteArrayList<>();
    private volatile BiFunction<Integer, ReplicaFetchRequest, ReplicaFetchResponse> leader;
    private Partition follower;
    private ReplicaFetcher fetcher;

    /** A leader whose streams answer (or, for a null answer, stay silent) as {@link #leader} says. */
    private final ReplicaLinks links = new ReplicaLinks() {
        private int streams;

        @Override
        public synchronized Stream open(int leaderId, Receiver receiver) {
            int stream = ++streams;
            return new Stream() {
                @Override
                public void send(ReplicaFetchRequest request) {
                    requests.add(stream + ":" + request.getPartitionsCount());
                    request.getRemovedList().forEach(r -> removed.add(r.getTopic() + "-" + r.getPartition()));
                    ReplicaFetchResponse answer = leader.apply(stream, request);
                    if (answer == FAIL) {
                        receiver.onClosed(new BrokerNotAvailableException("connection reset"));
                    } else if (answer != null) {
                        receiver.onAnswer(answer);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    };

    private static final ReplicaFetchResponse FAIL = ReplicaFetchResponse.newBuilder()
            .addPartitions(ReplicaPartitionData.newBuilder().setTopic("fail")).build();

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        follower = partitions.partition(TP, 1);
        follower.makeLeader(2, List.of(1, LEADER), List.of(1, LEADER), 0, 0);
        for (int i = 0; i < 5; i++) {
            follower.appendAsLeader(new RecordBatchBuilder().append(0, null, new byte[] {(byte) i}).build(), 0);
        }
        follower.makeFollower(LEADER, 3, List.of(1, LEADER));
        fetcher = new ReplicaFetcher(1, LEADER, links, () -> 7, new ReplicaFetchSettings(10, 1 << 20, 1 << 20, 20, 100),
                Time.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        fetcher.shutdown();
        partitions.close();
    }

    private static ReplicaFetchResponse partitionAnswer(ReplicaPartitionData.Builder data) {
        return ReplicaFetchResponse.newBuilder().addPartitions(data.setTopic(TP.topic()).setPartition(TP.partition())
                .setTopicId("id")).build();
    }

    private static ReplicaFetchResponse empty() {
        return ReplicaFetchResponse.getDefaultInstance();
    }

    @Test
    void aFailedStreamIsReopenedWithTheFullState() {
        leader = (stream, request) -> stream == 1 ? FAIL : empty();
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> requests.contains("2:1"));
        assertEquals("1:1", requests.get(0), "the first stream carried the partition, then failed");
    }

    @Test
    void aSilentStreamIsAbandonedAfterTheResponseTimeout() {
        leader = (stream, request) -> stream == 1 ? null : empty();
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> requests.contains("2:1"));
    }

    @Test
    void aPartitionErrorBacksOffAndTheStateIsSentAgain() {
        leader = (stream, request) -> request.getPartitionsCount() == 0 ? empty() : partitionAnswer(
                ReplicaPartitionData.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH));
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> requests.stream().filter(r -> r.equals("1:1")).count() >= 3);
    }

    @Test
    void anOutOfRangeAnswerTruncatesAFollowerAheadOfTheLeader() {
        leader = (stream, request) -> request.getPartitionsCount() == 0 ? empty() : partitionAnswer(
                ReplicaPartitionData.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE)
                        .setLogStartOffset(0).setLogEndOffset(2).setHighWatermark(2));
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> follower.logEndOffset() == 2);
    }

    @Test
    void anOutOfRangeAnswerRestartsAFollowerBehindTheLeadersLogStart() {
        leader = (stream, request) -> request.getPartitionsCount() == 0 ? empty() : partitionAnswer(
                ReplicaPartitionData.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE)
                        .setLogStartOffset(10).setLogEndOffset(12).setHighWatermark(12));
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> follower.logStartOffset() == 10);
        assertEquals(10, follower.logEndOffset());
        assertTrue(follower.log().latestEpoch().isEmpty(), "the emptied log has no epochs left");
    }

    @Test
    void anAnswerThatCannotBeAppliedTakesThePartitionOutOfTheLeadersSession() {
        // A leader that answers at an offset the follower did not ask for: the append is refused.
        leader = (stream, request) -> request.getPartitionsCount() == 0 ? empty() : partitionAnswer(
                ReplicaPartitionData.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).setHighWatermark(5)
                        .setLogEndOffset(6)
                        .setRecordBatches(com.google.protobuf.ByteString.copyFrom(garbage())));
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> removed.contains("t-0"));
        assertEquals(5, follower.logEndOffset(), "nothing was appended");
    }

    /** A valid batch at offset 0, which does not continue the follower's log (it ends at 5). */
    private static java.nio.ByteBuffer garbage() {
        java.nio.ByteBuffer batch = new RecordBatchBuilder().append(0, null, new byte[] {9}).build();
        return batch.duplicate().position(0);
    }

    @Test
    void anAnswerForAnotherIncarnationOfTheTopicIsIgnored() {
        leader = (stream, request) -> request.getPartitionsCount() == 0 ? empty() : ReplicaFetchResponse.newBuilder()
                .addPartitions(ReplicaPartitionData.newBuilder().setTopic(TP.topic()).setPartition(0)
                        .setTopicId("older").setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE)
                        .setLogEndOffset(1)).build();
        fetcher.follow(follower, 3);
        fetcher.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> requests.size() >= 5);
        assertEquals(5, follower.logEndOffset(), "nothing was truncated");
    }

    @Test
    void aLogStartOffsetIsReportedOnlyOnceCheckpointedAndAFailedCheckpointIsRetried() {
        AtomicInteger checkpoints = new AtomicInteger();
        List<Integer> checkpointsWhenReported = new CopyOnWriteArrayList<>();
        PartitionListener refusesOnce = onCheckpoint(partition -> {
            if (checkpoints.incrementAndGet() == 1) {
                throw new IllegalStateException("checkpoint refused once");
            }
        });
        Partition replica = followerWithFiveRecords(dir.resolve("other").resolve(TP.toString()), refusesOnce,
                FileIo.system());
        leader = (stream, request) -> {
            request.getPartitionsList().stream().filter(p -> p.getLogStartOffset() == 3)
                    .forEach(p -> checkpointsWhenReported.add(checkpoints.get()));
            return startsAt3(request);
        };

        fetcher.follow(replica, 3);
        fetcher.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> !checkpointsWhenReported.isEmpty());
        assertTrue(checkpointsWhenReported.stream().allMatch(n -> n >= 2),
                "reported only after the retried checkpoint succeeded: " + checkpointsWhenReported);
        assertEquals(3, replica.logStartOffset());
        assertFalse(replica.isOffline(), "a checkpoint failure that is no I/O failure does not take it offline");
    }

    @Test
    void onlyThePartitionsOnADirectoryTheCheckpointTookOfflineStopBeingFetched() {
        FaultyFileIo disk = new FaultyFileIo();
        AtomicReference<Partition> onFailingDisk = new AtomicReference<>();
        PartitionListener failsDiskB = onCheckpoint(partition -> {
            // Writing directory b's checkpoint fails: the directory goes offline, a's is written.
            if (onFailingDisk.get().log().isOnline()) {
                disk.failAlways(FaultyFileIo.Op.FORCE, ".log");
                assertThrows(StorageException.class, () -> onFailingDisk.get().log().flush());
            }
        });
        Partition onA = followerWithFiveRecords(dir.resolve("a").resolve("t-0"), failsDiskB, FileIo.system());
        Partition onB = followerWithFiveRecords(dir.resolve("b").resolve("t-1"), failsDiskB, disk);
        onFailingDisk.set(onB);
        List<String> reportedAt3 = new CopyOnWriteArrayList<>();
        leader = (stream, request) -> {
            request.getPartitionsList().stream().filter(p -> p.getLogStartOffset() == 3)
                    .forEach(p -> reportedAt3.add(p.getTopic() + "-" + p.getPartition()));
            return startsAt3(request);
        };

        fetcher.follow(onA, 3);
        fetcher.follow(onB, 3);
        fetcher.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> reportedAt3.contains("t-0") && removed.contains("t-1"));
        assertTrue(onB.isOffline(), "the partition on the failed directory is offline");
        assertFalse(onA.isOffline());
        assertFalse(reportedAt3.contains("t-1"), "an unwritten log start offset is never reported");
    }

    /** Node 1's follower replica (of {@link #LEADER}, at leader epoch 3) with five records of its own. */
    private Partition followerWithFiveRecords(Path logDir, PartitionListener listener, FileIo fileIo) {
        Partition replica = partitions.partition(logDir, "id", 1, 0, listener, fileIo);
        replica.makeLeader(2, List.of(1, LEADER), List.of(1, LEADER), 0, 0);
        for (int i = 0; i < 5; i++) {
            replica.appendAsLeader(new RecordBatchBuilder().append(0, null, new byte[] {(byte) i}).build(), 0);
        }
        replica.makeFollower(LEADER, 3, List.of(1, LEADER));
        return replica;
    }

    /** The leader's answer to every partition asked: nothing new, log start offset 3, high watermark 5. */
    private static ReplicaFetchResponse startsAt3(ReplicaFetchRequest request) {
        ReplicaFetchResponse.Builder answer = ReplicaFetchResponse.newBuilder();
        request.getPartitionsList().forEach(p -> answer.addPartitions(ReplicaPartitionData.newBuilder()
                .setTopic(p.getTopic()).setPartition(p.getPartition()).setTopicId("id")
                .setErrorCode(ErrorCode.ERROR_CODE_NONE).setHighWatermark(5).setLogEndOffset(5).setLogStartOffset(3)));
        return answer.build();
    }

    /** A listener that does {@code checkpoint} when a follower's log start offset moved, and nothing else. */
    private static PartitionListener onCheckpoint(Consumer<Collection<TopicPartition>> checkpoint) {
        return new PartitionListener() {
            @Override
            public void onHighWatermarkAdvanced(Partition partition) {
            }

            @Override
            public void onLogAppended(Partition partition) {
            }

            @Override
            public void onLogStartOffsetIncremented(Collection<TopicPartition> partitions) {
                checkpoint.accept(partitions);
            }
        };
    }
}
