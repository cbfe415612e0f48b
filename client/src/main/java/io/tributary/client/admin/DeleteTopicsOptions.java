package io.tributary.client.admin;

/** Options of {@link Admin#deleteTopics}: only the call timeout. */
public final class DeleteTopicsOptions extends AbstractOptions<DeleteTopicsOptions> {
}
