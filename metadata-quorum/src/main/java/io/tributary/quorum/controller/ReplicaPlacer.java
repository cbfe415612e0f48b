package io.tributary.quorum.controller;

import io.tributary.common.errors.InvalidReplicationFactorException;
import io.tributary.quorum.image.BrokerImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the brokers of new partitions, Kafka-style: the first replica (the preferred leader) of
 * consecutive partitions walks round the brokers from a random start, so leaders spread evenly, and
 * the followers are shifted by a random amount so that one broker's failure spreads its followers'
 * load. When brokers name racks, the brokers are ordered alternating between racks and each
 * partition takes its replicas from distinct racks first, so a rack's loss leaves every partition
 * with a replica elsewhere.
 *
 * <p>Pure: the randomness is injected.
 */
public final class ReplicaPlacer {

    private final Random random;

    public ReplicaPlacer(Random random) {
        this.random = random;
    }

    /**
     * Replicas for partitions {@code firstPartition .. firstPartition + count - 1}, the preferred
     * leader first.
     *
     * @param brokers the brokers new replicas may go to (active ones), in any order
     * @throws InvalidReplicationFactorException when there are fewer brokers than {@code replicationFactor}
     */
    public List<List<Integer>> place(int firstPartition, int count, int replicationFactor,
                                     List<BrokerImage> brokers) {
        if (replicationFactor > brokers.size()) {
            throw new InvalidReplicationFactorException("replication factor " + replicationFactor + " exceeds the "
                    + brokers.size() + " available broker(s)");
        }
        boolean rackAware = brokers.stream().anyMatch(b -> !b.rack().isEmpty());
        List<BrokerImage> ordered = rackAware ? alternateRacks(brokers)
                : brokers.stream().sorted(java.util.Comparator.comparingInt(BrokerImage::id)).toList();
        int n = ordered.size();
        int start = random.nextInt(n);
        int shift = random.nextInt(n);
        List<List<Integer>> assignments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = firstPartition + i;
            if (p > 0 && p % n == 0) {
                shift++;
            }
            int first = (p + start) % n;
            assignments.add(rackAware ? rackAwareReplicas(ordered, first, replicationFactor)
                    : replicas(ordered, first, shift, replicationFactor));
        }
        return assignments;
    }

    /** The first replica, then followers at distinct offsets {@code 1 + (shift + j) mod (n - 1)} after it. */
    private static List<Integer> replicas(List<BrokerImage> ordered, int first, int shift, int replicationFactor) {
        int n = ordered.size();
        List<Integer> replicas = new ArrayList<>();
        replicas.add(ordered.get(first).id());
        for (int j = 0; j < replicationFactor - 1; j++) {
            int offset = 1 + (shift + j) % (n - 1);
            replicas.add(ordered.get((first + offset) % n).id());
        }
        return replicas;
    }

    /** Walks the rack-alternating order from {@code first}, taking one broker per rack until every rack has one. */
    private static List<Integer> rackAwareReplicas(List<BrokerImage> ordered, int first, int replicationFactor) {
        int n = ordered.size();
        Set<String> racksUsed = new LinkedHashSet<>();
        long rackCount = ordered.stream().map(BrokerImage::rack).distinct().count();
        List<Integer> replicas = new ArrayList<>();
        for (int pass = 0; pass < 2 && replicas.size() < replicationFactor; pass++) {
            for (int k = 0; k < n && replicas.size() < replicationFactor; k++) {
                BrokerImage broker = ordered.get((first + k) % n);
                boolean newRack = racksUsed.size() < rackCount && !racksUsed.contains(broker.rack());
                if (replicas.contains(broker.id()) || (pass == 0 && !newRack)) {
                    continue;
                }
                replicas.add(broker.id());
                racksUsed.add(broker.rack());
            }
        }
        return replicas;
    }

    /** Brokers ordered rack by rack in turn (a1, b1, c1, a2, b2, …), each rack's brokers by id. */
    static List<BrokerImage> alternateRacks(List<BrokerImage> brokers) {
        Map<String, List<BrokerImage>> byRack = new TreeMap<>();
        brokers.stream().sorted(java.util.Comparator.comparingInt(BrokerImage::id))
                .forEach(b -> byRack.computeIfAbsent(b.rack(), r -> new ArrayList<>()).add(b));
        Map<String, Integer> next = new LinkedHashMap<>();
        byRack.keySet().forEach(rack -> next.put(rack, 0));
        List<BrokerImage> ordered = new ArrayList<>();
        while (ordered.size() < brokers.size()) {
            for (Map.Entry<String, List<BrokerImage>> rack : byRack.entrySet()) {
                int index = next.get(rack.getKey());
                if (index < rack.getValue().size()) {
                    ordered.add(rack.getValue().get(index));
                    next.put(rack.getKey(), index + 1);
                }
            }
        }
        return ordered;
    }
}
