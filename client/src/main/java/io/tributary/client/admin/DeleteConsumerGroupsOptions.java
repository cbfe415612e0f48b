package io.tributary.client.admin;

/** Options of {@link Admin#deleteConsumerGroups}: only the call timeout. */
public final class DeleteConsumerGroupsOptions extends AbstractOptions<DeleteConsumerGroupsOptions> {
}
