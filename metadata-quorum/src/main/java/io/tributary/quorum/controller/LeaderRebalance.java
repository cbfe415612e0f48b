package io.tributary.quorum.controller;

import io.tributary.common.errors.ApiException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic preferred-leader rebalancing ({@code auto.leader.rebalance.enable}). Leadership moves
 * off a partition's preferred replica (the first of its assignment) whenever that broker fails or
 * shuts down, and nothing moves it back, so after a rolling restart a few brokers lead everything.
 * Per broker, the imbalance is the share of the partitions it is preferred for that another broker
 * (or none) leads; for every broker above {@code leader.imbalance.per.broker.percentage}, those
 * partitions get a preferred election ({@link ElectionControl#electPreferred}) where the preferred
 * replica is in sync and live. Pure.
 */
final class LeaderRebalance {

    /** One broker's preferred partitions, and how many of them it does not lead. */
    record Imbalance(int brokerId, int preferred, int notLed) {

        /** Whether more than {@code percentage}% of its preferred partitions are led elsewhere. */
        boolean above(int percentage) {
            return (long) notLed * 100 > (long) percentage * preferred;
        }
    }

    /** A leadership moved back to the partition's preferred replica. */
    record Move(String topic, int partition, int from, int to) {
    }

    /** The brokers found above the threshold and the leaderships moved back to them. */
    record Outcome(List<Imbalance> imbalanced, List<Move> moves) {

        Outcome {
            imbalanced = List.copyOf(imbalanced);
            moves = List.copyOf(moves);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LeaderRebalance.class);

    private final int imbalancePercentage;

    /** @param imbalancePercentage the per-broker imbalance, 0 to 100, above which leaderships move back */
    LeaderRebalance(int imbalancePercentage) {
        if (imbalancePercentage < 0 || imbalancePercentage > 100) {
            throw new IllegalArgumentException("imbalance percentage must be 0 to 100, got " + imbalancePercentage);
        }
        this.imbalancePercentage = imbalancePercentage;
    }

    /** Per preferred broker (the first replica of at least one partition), its imbalance. */
    static SortedMap<Integer, Imbalance> imbalances(MetadataImage image) {
        SortedMap<Integer, Imbalance> byBroker = new TreeMap<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                int preferred = partition.replicas().get(0);
                int notLed = partition.leader() == preferred ? 0 : 1;
                byBroker.merge(preferred, new Imbalance(preferred, 1, notLed),
                        (a, b) -> new Imbalance(preferred, a.preferred() + 1, a.notLed() + notLed));
            }
        }
        return byBroker;
    }

    /**
     * The preferred elections for every broker above the threshold.
     *
     * @param live whether a broker may lead now (active, and heard from within its session)
     */
    ControllerResult<Outcome> rebalance(MetadataImage image, IntPredicate live) {
        List<Imbalance> imbalanced = imbalances(image).values().stream().filter(i -> i.above(imbalancePercentage))
                .toList();
        Set<Integer> brokers = imbalanced.stream().map(Imbalance::brokerId).collect(Collectors.toSet());
        List<MetadataRecord> records = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                int preferred = partition.replicas().get(0);
                if (!brokers.contains(preferred) || partition.leader() == preferred) {
                    continue;
                }
                try {
                    records.add(ElectionControl.electPreferred(topic, partition, live));
                    moves.add(new Move(topic.name(), partition.partition(), partition.leader(), preferred));
                } catch (ApiException notAvailable) {
                    // The preferred replica is out of sync or not live: the partition stays where it is.
                }
            }
        }
        return new ControllerResult<>(records, new Outcome(imbalanced, moves));
    }

    /** Logs what a committed rebalance moved, per imbalanced broker (DEBUG when it could move nothing). */
    void log(Outcome outcome) {
        for (Imbalance broker : outcome.imbalanced()) {
            List<String> moved = outcome.moves().stream().filter(m -> m.to() == broker.brokerId())
                    .map(m -> m.topic() + "-" + m.partition() + " (from " + m.from() + ")").toList();
            String message = "Leader rebalance: broker {} led {} of the {} partitions it is preferred for (more than "
                    + "leader.imbalance.per.broker.percentage={}% led elsewhere); moved back: {}";
            Object[] args = {broker.brokerId(), broker.preferred() - broker.notLed(), broker.preferred(),
                    imbalancePercentage, moved.isEmpty() ? "none (the preferred replica is not in sync or not live)"
                    : String.join(", ", moved)};
            if (moved.isEmpty()) {
                log.debug(message, args);
            } else {
                log.info(message, args);
            }
        }
    }
}
