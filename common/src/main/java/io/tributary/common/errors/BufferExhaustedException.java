package io.tributary.common.errors;

/** The producer could not reserve {@code buffer.memory} for a record within {@code max.block.ms}. */
public class BufferExhaustedException extends TimeoutException {

    public BufferExhaustedException(String message) {
        super(message);
    }
}
