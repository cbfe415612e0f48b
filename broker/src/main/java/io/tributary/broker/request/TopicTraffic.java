package io.tributary.broker.request;

import java.nio.ByteBuffer;

/**
 * Told what clients wrote to and read from each topic (for the node's metrics); called on request
 * threads, so implementations must be thread-safe and cheap.
 */
public interface TopicTraffic {

    /** Records nobody counts. */
    TopicTraffic NONE = new TopicTraffic() {
        @Override
        public void produced(String topic, long bytes, long records) {
        }

        @Override
        public void fetched(String topic, ByteBuffer batches, long fetchOffset) {
        }
    };

    /** A leader appended {@code records} records in {@code bytes} bytes of batches to the topic. */
    void produced(String topic, long bytes, long records);

    /**
     * A consumer's fetch at {@code fetchOffset} returned {@code batches} (its remaining bytes) of the
     * topic. An implementation that counts records reads them from the batch headers without
     * moving the buffer's position, which the fetch still answers with.
     */
    void fetched(String topic, ByteBuffer batches, long fetchOffset);
}
