package io.tributary.client.admin;

/** Options of {@link Admin#listConsumerGroupOffsets}: only the call timeout. */
public final class ListConsumerGroupOffsetsOptions extends AbstractOptions<ListConsumerGroupOffsetsOptions> {
}
