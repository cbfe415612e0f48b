package io.tributary.client.producer;

/**
 * Called once when a sent record is acknowledged or fails, on the producer's network thread: keep it
 * short, and do not block in it (a blocking callback delays every other send's completion).
 */
@FunctionalInterface
public interface Callback {

    /**
     * @param metadata  where the record landed (on failure: its partition, offset -1), never null
     * @param exception null on success, else why the record was not written
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
