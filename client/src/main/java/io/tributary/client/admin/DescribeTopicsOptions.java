package io.tributary.client.admin;

/** Options of {@link Admin#describeTopics}: only the call timeout. */
public final class DescribeTopicsOptions extends AbstractOptions<DescribeTopicsOptions> {
}
