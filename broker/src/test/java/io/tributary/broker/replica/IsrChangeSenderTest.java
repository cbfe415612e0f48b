package io.tributary.broker.replica;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.v1.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the AlterPartition sender treats each outcome: committed, refused, not known. */
@Tag("unit")
class IsrChangeSenderTest {

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    private final List<AlterPartitionRequest> sent = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<AlterPartitionResponse>> answers = new CopyOnWriteArrayList<>();
    private final IsrChangeSender sender = new IsrChangeSender(1, () -> 7, request -> {
        sent.add(request);
        CompletableFuture<AlterPartitionResponse> answer = new CompletableFuture<>();
        answers.add(answer);
        return answer;
    }, 10, Time.SYSTEM);

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
    }

    @AfterEach
    void tearDown() {
        sender.close();
        partitions.close();
    }

    /** Leader 1 of partition {@code p} with ISR [1]; follower 2 has just caught up, so an expansion is pending. */
    private Partition leaderWithExpansion(int p, List<IsrChange> proposed) {
        Partition partition = partitions.partition(new TopicPartition("t", p), 1);
        partition.makeLeader(4, List.of(1, 2), List.of(1), 9, 0);
        proposed.add(partition.recordFollowerFetch(2, 0, 0, 0, true, 1).orElseThrow());
        return partition;
    }

    private static AlterPartitionResponse answer(ErrorCode code, List<Integer> isr, int partitionEpoch) {
        return AlterPartitionResponse.newBuilder().addResults(IsrChangeResult.newBuilder().setErrorCode(code)
                .addAllIsr(isr).setPartitionEpoch(partitionEpoch)).build();
    }

    @Test
    void aCommittedChangeIsAppliedAtOnce() {
        List<IsrChange> proposed = new ArrayList<>();
        Partition partition = leaderWithExpansion(0, proposed);
        sender.submitIsrChange(partition, proposed.get(0));
        assertEquals(7, sent.get(0).getBrokerEpoch());
        assertEquals(List.of(1, 2), sent.get(0).getChanges(0).getNewIsrList());
        assertEquals(9, sent.get(0).getChanges(0).getPartitionEpoch());

        answers.get(0).complete(answer(ErrorCode.ERROR_CODE_NONE, List.of(1, 2), 10));

        assertEquals(List.of(1, 2), partition.isr());
        assertFalse(partition.isPending(proposed.get(0)));
    }

    @Test
    void aRefusedChangeIsDroppedSoItCanBeProposedAgain() {
        List<IsrChange> proposed = new ArrayList<>();
        Partition partition = leaderWithExpansion(0, proposed);
        sender.submitIsrChange(partition, proposed.get(0));

        answers.get(0).complete(answer(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, List.of(), 0));

        assertFalse(partition.isPending(proposed.get(0)));
        assertEquals(List.of(1), partition.isr());
        assertTrue(partition.recordFollowerFetch(2, 0, 0, 0, true, 2).isPresent(), "the next fetch proposes it again");
    }

    @Test
    void anUnconfirmedChangeStaysPendingAndIsSentAgain() {
        List<IsrChange> proposed = new ArrayList<>();
        Partition partition = leaderWithExpansion(0, proposed);
        sender.submitIsrChange(partition, proposed.get(0));

        answers.get(0).completeExceptionally(new BrokerNotAvailableException("controller unreachable"));

        assertTrue(partition.isPending(proposed.get(0)), "it may have been committed: it still counts");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sent.size() == 2);
        assertEquals(sent.get(0).getChanges(0), sent.get(1).getChanges(0));
        answers.get(1).complete(answer(ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION, List.of(), 0));
        assertTrue(partition.isPending(proposed.get(0)), "a stale epoch is not a refusal: newer metadata decides");
        await().atMost(10, TimeUnit.SECONDS).until(() -> sent.size() == 3);
        partition.makeLeader(4, List.of(1, 2), List.of(1, 2), 10, 3);
        answers.get(2).complete(answer(ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION, List.of(), 0));
        assertFalse(partition.isPending(proposed.get(0)), "the metadata brought the committed change");
        await().during(200, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> sent.size() == 3);
    }

    @Test
    void answersThatARetryOfACommittedChangeCouldGetAreNotRefusals() {
        for (ErrorCode code : List.of(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER,
                ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)) {
            List<IsrChange> proposed = new ArrayList<>();
            Partition partition = leaderWithExpansion(code.getNumber(), proposed);
            int before = sent.size();
            sender.submitIsrChange(partition, proposed.get(0));
            answers.get(before).complete(answer(code, List.of(), 0));
            assertTrue(partition.isPending(proposed.get(0)), code + ": the change may have committed; it still counts");
            await().atMost(10, TimeUnit.SECONDS).until(() -> sent.size() > before + 1);
            partition.makeLeader(4, List.of(1, 2), List.of(1, 2), 10, 3);
            answers.get(before + 1).complete(answer(code, List.of(), 0));
        }
    }

    @Test
    void changesProposedWhileARequestIsInFlightGoTogetherInTheNext() {
        List<IsrChange> proposed = new ArrayList<>();
        Partition first = leaderWithExpansion(0, proposed);
        Partition second = leaderWithExpansion(1, proposed);
        Partition third = leaderWithExpansion(2, proposed);
        sender.submitIsrChange(first, proposed.get(0));
        sender.submitIsrChange(second, proposed.get(1));
        sender.submitIsrChange(third, proposed.get(2));
        assertEquals(1, sent.size(), "one request in flight at a time");

        answers.get(0).complete(answer(ErrorCode.ERROR_CODE_NONE, List.of(1, 2), 10));

        assertEquals(2, sent.size());
        assertEquals(List.of(1, 2), sent.get(1).getChangesList().stream().map(IsrChange::getPartition).toList());
    }

    @Test
    void nothingIsSentAfterClose() {
        List<IsrChange> proposed = new ArrayList<>();
        Partition partition = leaderWithExpansion(0, proposed);
        sender.close();
        sender.submitIsrChange(partition, proposed.get(0));
        assertEquals(List.of(), sent);
    }
}
