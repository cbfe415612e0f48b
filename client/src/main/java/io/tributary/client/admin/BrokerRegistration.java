package io.tributary.client.admin;

import io.tributary.client.Node;

/**
 * A registered broker and its state, as {@link DescribeClusterResult#brokerRegistrations()} lists it
 * (a Tributary extension of Kafka's result).
 *
 * @param node                 the broker; {@link Node#isFenced()} tells whether it is fenced
 * @param inControlledShutdown whether it is in controlled shutdown (its leaderships are being moved
 *                             away); stays set once it is fenced after a clean stop, until it registers again
 * @param brokerEpoch          the metadata log offset of its current registration (new at each start)
 */
public record BrokerRegistration(Node node, boolean inControlledShutdown, long brokerEpoch) {

    /** {@code fenced}, {@code controlled-shutdown} or {@code active}, in that order of precedence. */
    public String state() {
        return node.isFenced() ? "fenced" : inControlledShutdown ? "controlled-shutdown" : "active";
    }
}
