package io.tributary.client.admin;

/** Options of {@link Admin#listOffsets}: only the call timeout. */
public final class ListOffsetsOptions extends AbstractOptions<ListOffsetsOptions> {
}
