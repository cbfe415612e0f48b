package io.tributary.storage;

/**
 * What one {@link Log#append} wrote.
 *
 * @param firstOffset base offset of the first batch appended
 * @param lastOffset last offset of the last batch appended
 * @param maxTimestamp largest batch max timestamp among the appended batches (-1 if none had one)
 * @param validBytes bytes appended
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, int validBytes) {
}
