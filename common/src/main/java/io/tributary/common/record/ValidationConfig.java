package io.tributary.common.record;

/**
 * The topic settings {@link LogValidator} enforces on produced batches. Immutable.
 *
 * @param maxMessageBytes      largest accepted batch, in bytes as sent (after compression), log
 *                             overhead included; {@code max.message.bytes}
 * @param timestampType        whether records keep producer timestamps or get the broker's append time
 * @param timestampBeforeMaxMs how far a create-time timestamp may lie before the broker's clock;
 *                             {@link Long#MAX_VALUE} disables the bound
 * @param timestampAfterMaxMs  how far a create-time timestamp may lie after the broker's clock;
 *                             {@link Long#MAX_VALUE} disables the bound
 * @param compacted            {@code cleanup.policy} includes compact, so every record needs a key
 */
public record ValidationConfig(int maxMessageBytes, TimestampType timestampType, long timestampBeforeMaxMs,
                               long timestampAfterMaxMs, boolean compacted) {

    /**
     * @throws IllegalArgumentException when {@code maxMessageBytes} is not positive, a bound is
     *         negative, or the timestamp type is null
     */
    public ValidationConfig {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        if (timestampType == null) {
            throw new IllegalArgumentException("timestampType must not be null");
        }
        if (timestampBeforeMaxMs < 0 || timestampAfterMaxMs < 0) {
            throw new IllegalArgumentException("timestamp bounds must not be negative: before " + timestampBeforeMaxMs
                    + " ms, after " + timestampAfterMaxMs + " ms");
        }
    }
}
