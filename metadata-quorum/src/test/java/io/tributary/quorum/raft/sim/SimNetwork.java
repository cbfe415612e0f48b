package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.RaftMessage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * The simulated network's behaviour: per-message delay (so messages reorder), loss, duplication,
 * and partitions (a set of cut node pairs, both directions). Delivery itself is scheduled by
 * {@link RaftSimulation}.
 */
final class SimNetwork {

    private final Random random;
    private final Set<Long> cut = new HashSet<>();
    double dropProbability;
    double duplicateProbability;
    int maxDelayMs;

    SimNetwork(Random random, double dropProbability, double duplicateProbability, int maxDelayMs) {
        this.random = random;
        this.dropProbability = dropProbability;
        this.duplicateProbability = duplicateProbability;
        this.maxDelayMs = maxDelayMs;
    }

    /** How many copies of {@code message} arrive (0: lost, 2: duplicated), decided when it is sent. */
    int copies(RaftMessage message) {
        if (isCut(message.from(), message.to()) || random.nextDouble() < dropProbability) {
            return 0;
        }
        return random.nextDouble() < duplicateProbability ? 2 : 1;
    }

    long delayMs() {
        return 1 + random.nextInt(maxDelayMs);
    }

    boolean isCut(int a, int b) {
        return cut.contains(key(a, b));
    }

    /** Cuts every link between {@code side} and the other nodes. */
    void partition(Set<Integer> side, Set<Integer> all) {
        for (int a : side) {
            for (int b : all) {
                if (!side.contains(b)) {
                    cut.add(key(a, b));
                }
            }
        }
    }

    /** Ends every partition; message loss and duplication go on. */
    void reconnect() {
        cut.clear();
    }

    /** Ends every fault: partitions, loss and duplication (the liveness phase). */
    void heal() {
        reconnect();
        dropProbability = 0;
        duplicateProbability = 0;
    }

    private static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
