package io.tributary.client.admin;

/** Options of {@link Admin#describeCluster}: only the call timeout. */
public final class DescribeClusterOptions extends AbstractOptions<DescribeClusterOptions> {
}
