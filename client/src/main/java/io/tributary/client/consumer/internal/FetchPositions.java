package io.tributary.client.consumer.internal;

import io.tributary.client.consumer.internal.SubscriptionState.ResetStrategy;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.NoOffsetForPartitionException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.OffsetSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives assigned partitions without a position one, through their pending reset or
 * {@code auto.offset.reset} (a partition waiting for its group's committed offset waits for that
 * first). Application thread only.
 */
public final class FetchPositions {

    private static final Logger log = LoggerFactory.getLogger(FetchPositions.class);

    private final SubscriptionState subscriptions;
    private final OffsetLookup offsets;
    private final Consumer<TopicPartition> dropBuffered;

    public FetchPositions(SubscriptionState subscriptions, OffsetLookup offsets,
                          Consumer<TopicPartition> dropBuffered) {
        this.subscriptions = subscriptions;
        this.offsets = offsets;
        this.dropBuffered = dropBuffered;
    }

    /**
     * @param strict true: failing to find positions by the deadline throws; false (poll): it is logged
     *               and retried at the next poll
     * @throws NoOffsetForPartitionException for partitions without a position under auto.offset.reset=none
     */
    public void update(long deadlineMs, boolean strict) {
        List<TopicPartition> missing = subscriptions.partitionsWithoutPosition();
        if (!missing.isEmpty() && subscriptions.defaultResetStrategy() == ResetStrategy.NONE) {
            throw new NoOffsetForPartitionException(Set.copyOf(missing));
        }
        missing.forEach(subscriptions::requestDefaultReset);
        Map<TopicPartition, ResetStrategy> pending = subscriptions.pendingResets();
        if (pending.isEmpty()) {
            return;
        }
        Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
        pending.forEach((tp, strategy) -> queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setSpec(strategy == ResetStrategy.EARLIEST
                        ? OffsetSpec.OFFSET_SPEC_EARLIEST : OffsetSpec.OFFSET_SPEC_LATEST).build()));
        try {
            offsets.lookup(queries, deadlineMs, "resetting positions").forEach((tp, answer) -> {
                subscriptions.completeReset(tp, pending.get(tp), answer.getOffset());
                dropBuffered.accept(tp);
            });
        } catch (TimeoutException e) {
            if (strict) {
                throw e;
            }
            log.debug("Could not reset positions yet: {}", e.getMessage());
        }
    }
}
