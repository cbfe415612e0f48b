package io.tributary.client.consumer.group;

import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every member of a group saw, in one order: partitions given and taken (recorded inside the
 * rebalance listener callbacks) and records returned by poll. A sequence number drawn when the
 * event happens orders events across members by causality: a member's revocation callback runs
 * before it reports the partition released, so before any other member is given it.
 */
final class OwnershipLog {

    enum Kind { ASSIGNED, REVOKED, LOST, CONSUMED }

    record Event(long seq, String member, Kind kind, TopicPartition partition, long offset) {
    }

    private final AtomicLong sequence = new AtomicLong();
    private final List<Event> events = new ArrayList<>();

    void record(String member, Kind kind, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            add(new Event(sequence.incrementAndGet(), member, kind, tp, -1));
        }
    }

    void consumed(String member, ConsumerRecord<?, ?> record) {
        add(new Event(sequence.incrementAndGet(), member, Kind.CONSUMED, record.topicPartition(), record.offset()));
    }

    private synchronized void add(Event event) {
        events.add(event);
    }

    synchronized List<Event> events() {
        List<Event> copy = new ArrayList<>(events);
        copy.sort(Comparator.comparingLong(Event::seq));
        return copy;
    }

    /** The sequence number of the latest event: later events have higher ones. */
    long mark() {
        return sequence.get();
    }

    /** The events of one member and kind after {@code mark}. */
    List<Event> of(String member, Kind kind, long mark) {
        return events().stream().filter(e -> e.seq() > mark && e.member().equals(member) && e.kind() == kind)
                .toList();
    }

    /**
     * Replays every event: a partition is given only to a member when nobody owns it, taken only from
     * its owner, and its records are returned only to its owner.
     */
    void assertExclusiveOwnership() {
        Map<TopicPartition, String> owners = new HashMap<>();
        for (Event event : events()) {
            String owner = owners.get(event.partition());
            switch (event.kind()) {
                case ASSIGNED -> {
                    if (owner != null) {
                        throw new AssertionError(event + ": " + event.partition() + " is still owned by " + owner);
                    }
                    owners.put(event.partition(), event.member());
                }
                case REVOKED, LOST -> {
                    if (!event.member().equals(owner)) {
                        throw new AssertionError(event + ": " + event.partition() + " is owned by " + owner);
                    }
                    owners.remove(event.partition());
                }
                case CONSUMED -> {
                    if (!event.member().equals(owner)) {
                        throw new AssertionError(event + ": a record of " + event.partition()
                                + " was returned to a member that does not own it (owner: " + owner + ")");
                    }
                }
            }
        }
    }
}
