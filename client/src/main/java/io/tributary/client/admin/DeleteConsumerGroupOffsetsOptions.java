package io.tributary.client.admin;

/** Options of {@link Admin#deleteConsumerGroupOffsets}: only the call timeout. */
public final class DeleteConsumerGroupOffsetsOptions extends AbstractOptions<DeleteConsumerGroupOffsetsOptions> {
}
