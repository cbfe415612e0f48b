package io.tributary.client.admin;

/** Options of {@link Admin#describeCluster}: the call timeout, and whether fenced brokers are listed. */
public final class DescribeClusterOptions extends AbstractOptions<DescribeClusterOptions> {

    private boolean includeFencedBrokers;

    /** Also list fenced brokers (Kafka's KIP-1073); by default only unfenced ones are listed. */
    public DescribeClusterOptions includeFencedBrokers(boolean includeFencedBrokers) {
        this.includeFencedBrokers = includeFencedBrokers;
        return this;
    }

    public boolean includeFencedBrokers() {
        return includeFencedBrokers;
    }
}
