package io.tributary.broker.request;

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
        public void fetched(String topic, long bytes, long records) {
        }
    };

    /** A leader appended {@code records} records in {@code bytes} bytes of batches to the topic. */
    void produced(String topic, long bytes, long records);

    /**
     * A consumer's fetch returned {@code bytes} bytes of record batches of the topic, holding
     * {@code records} records at or after the fetch offset (control records not counted).
     */
    void fetched(String topic, long bytes, long records);
}
