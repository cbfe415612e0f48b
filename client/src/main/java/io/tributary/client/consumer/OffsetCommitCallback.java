package io.tributary.client.consumer;

import io.tributary.common.TopicPartition;
import java.util.Map;

/** Told the outcome of {@code commitAsync}; runs on the application thread, in a later poll or commit call. */
@FunctionalInterface
public interface OffsetCommitCallback {

    /**
     * @param offsets   the offsets the commit carried
     * @param exception null on success; otherwise why nothing (or not everything) was committed
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
