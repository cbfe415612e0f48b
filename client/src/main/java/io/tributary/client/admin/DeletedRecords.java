package io.tributary.client.admin;

/**
 * One partition's outcome of {@link Admin#deleteRecords}.
 *
 * @param lowWatermark the partition's log start offset after the deletion: the first offset that
 *     can still be fetched (the requested offset, or higher when the log already started later)
 */
public record DeletedRecords(long lowWatermark) {
}
