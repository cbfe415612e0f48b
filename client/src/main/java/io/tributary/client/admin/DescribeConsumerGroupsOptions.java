package io.tributary.client.admin;

/** Options of {@link Admin#describeConsumerGroups}: only the call timeout. */
public final class DescribeConsumerGroupsOptions extends AbstractOptions<DescribeConsumerGroupsOptions> {
}
