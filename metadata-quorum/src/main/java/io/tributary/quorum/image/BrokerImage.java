package io.tributary.quorum.image;

/**
 * A registered node as the metadata log says. Immutable.
 *
 * @param epoch the offset of the registration record: requests carrying an older epoch come from an
 *              older incarnation of this node
 */
public record BrokerImage(int id, String incarnationId, String host, int port, String rack, boolean fenced,
                          boolean inControlledShutdown, long epoch) {

    /** Usable for leadership and new replicas. */
    public boolean active() {
        return !fenced && !inControlledShutdown;
    }

    public BrokerImage withFenced(boolean nowFenced) {
        return new BrokerImage(id, incarnationId, host, port, rack, nowFenced, inControlledShutdown, epoch);
    }

    public BrokerImage withControlledShutdown(boolean shuttingDown) {
        return new BrokerImage(id, incarnationId, host, port, rack, fenced, shuttingDown, epoch);
    }
}
