package io.tributary.client.admin;

/**
 * Which records of a partition {@link Admin#deleteRecords} deletes: those before an offset.
 *
 * @param beforeOffset records below this offset are deleted (it becomes the log start offset); -1
 *     means the partition's high watermark, i.e. every committed record (resolved by the leader at
 *     each attempt: a retry may delete up to a higher high watermark, as in Kafka)
 */
public record RecordsToDelete(long beforeOffset) {

    /** The records before {@code offset} (-1: before the high watermark). Kafka's factory method. */
    public static RecordsToDelete beforeOffset(long offset) {
        return new RecordsToDelete(offset);
    }
}
