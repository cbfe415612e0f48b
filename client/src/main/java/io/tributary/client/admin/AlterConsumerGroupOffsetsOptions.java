package io.tributary.client.admin;

/** Options of {@link Admin#alterConsumerGroupOffsets}: only the call timeout. */
public final class AlterConsumerGroupOffsetsOptions extends AbstractOptions<AlterConsumerGroupOffsetsOptions> {
}
