package io.tributary.client;

/**
 * A broker as the cluster metadata describes it.
 *
 * @param id   the node id ({@code node.id})
 * @param host the advertised host
 * @param port the advertised client port
 * @param rack the rack ({@code broker.rack}), or null when none is set
 */
public record Node(int id, String host, int port, String rack) {

    /** {@code host:port}, the form {@code bootstrap.servers} uses. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address() + (rack == null ? "" : " (rack " + rack + ")");
    }
}
