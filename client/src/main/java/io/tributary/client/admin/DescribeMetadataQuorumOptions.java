package io.tributary.client.admin;

/** Options of {@link Admin#describeMetadataQuorum}: only the call timeout. */
public final class DescribeMetadataQuorumOptions extends AbstractOptions<DescribeMetadataQuorumOptions> {
}
