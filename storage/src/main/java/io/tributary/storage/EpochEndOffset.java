package io.tributary.storage;

/**
 * The answer to "where does epoch E end?" used for replica truncation (KIP-101 / KIP-279 style).
 *
 * @param epoch the largest epoch known to this log that is at most the requested one
 * @param endOffset the offset after that epoch's last offset: the start offset of the next larger
 *     epoch, or the log end offset when it is the latest epoch
 */
public record EpochEndOffset(int epoch, long endOffset) {
}
