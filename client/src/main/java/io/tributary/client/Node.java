package io.tributary.client;

/**
 * A node as the cluster metadata describes it.
 *
 * @param id     the node id ({@code node.id})
 * @param host   the advertised host
 * @param port   the advertised client port
 * @param rack   the rack ({@code broker.rack}), or null when none is set
 * @param fenced whether the broker is fenced (registered without a live session); only
 *               {@link io.tributary.client.admin.Admin#describeCluster} with
 *               {@code includeFencedBrokers} returns fenced nodes
 */
public record Node(int id, String host, int port, String rack, boolean fenced) {

    /** A node that is not fenced. */
    public Node(int id, String host, int port, String rack) {
        this(id, host, port, rack, false);
    }

    /** {@code host:port}, the form {@code bootstrap.servers} uses. */
    public String address() {
        return host + ":" + port;
    }

    /** Kafka's name for {@link #fenced()}. */
    public boolean isFenced() {
        return fenced;
    }

    /** Whether the node has a rack (Kafka's {@code hasRack}). */
    public boolean hasRack() {
        return rack != null;
    }

    @Override
    public String toString() {
        return id + "@" + address() + (rack == null ? "" : " (rack " + rack + ")") + (fenced ? " (fenced)" : "");
    }
}
