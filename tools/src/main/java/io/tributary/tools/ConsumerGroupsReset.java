package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupIdNotFoundException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.OffsetReset;
import io.tributary.tools.internal.Table;
import io.tributary.tools.internal.TopicScope;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code consumer-groups --reset-offsets}: plans each group's new offsets, commits them with
 * {@code --execute}, and prints Kafka's GROUP TOPIC PARTITION NEW-OFFSET table per group. Only
 * inactive groups (no members, or not existing yet) are reset: when any group has members, nothing
 * is changed at all. Clamping warnings go to stderr.
 */
final class ConsumerGroupsReset {

    private final Admin admin;
    private final PrintWriter out;
    private final PrintWriter err;

    ConsumerGroupsReset(Admin admin, PrintWriter out, PrintWriter err) {
        this.admin = admin;
        this.out = out;
        this.err = err;
    }

    /**
     * Resets the groups' offsets of the partitions {@code scopes} name (those each group has offsets
     * for when empty).
     *
     * @param execute whether to commit the plan, not only print it
     * @throws CommandException when a group is active (then nothing changed), a topic or partition
     *     does not exist, or an offset cannot be shifted
     */
    void reset(List<String> groupIds, OffsetReset spec, List<TopicScope> scopes, boolean execute)
            throws InterruptedException {
        requireInactive(groupIds);
        Set<TopicPartition> scoped = scopes.isEmpty() ? null : PartitionLookups.partitionsOf(admin, scopes);
        Map<String, Map<TopicPartition, Long>> plans = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            plans.put(groupId, plan(groupId, spec, scoped));
        }
        if (execute) {
            for (Map.Entry<String, Map<TopicPartition, Long>> plan : plans.entrySet()) {
                commit(plan.getKey(), plan.getValue());
            }
        }
        plans.forEach((groupId, plan) -> {
            Table table = new Table(List.of("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
            plan.forEach((tp, offset) -> table.row(List.of(groupId, tp.topic(), tp.partition(), offset)));
            if (!table.isEmpty()) {
                out.println();
                table.print(out);
            }
        });
        if (!execute) {
            err.println("This was a dry run: no offsets were changed (add --execute to reset them).");
        }
        err.flush();
    }

    /** Fails, naming each group with members and its state, unless no group has any. */
    private void requireInactive(List<String> groupIds) throws InterruptedException {
        Map<String, CompletableFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groupIds)
                .describedGroups();
        List<String> refusals = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ConsumerGroupDescription>> group : described.entrySet()) {
            ConsumerGroupState state;
            try {
                state = ClientCommand.await(group.getValue()).state();
            } catch (GroupIdNotFoundException e) {
                continue;
            } catch (RuntimeException e) {
                throw ConsumerGroupsDescriber.groupFailure(group.getKey(), e);
            }
            if (state != ConsumerGroupState.EMPTY) {
                refusals.add("Assignments can only be reset if the group '" + group.getKey()
                        + "' is inactive, but the current state is " + state + ".");
            }
        }
        if (!refusals.isEmpty()) {
            throw new CommandException(String.join("\n", refusals) + "\nNo offsets were changed.");
        }
    }

    /** The group's new offsets by partition. */
    private Map<TopicPartition, Long> plan(String groupId, OffsetReset spec, Set<TopicPartition> scoped)
            throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = ClientCommand.await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        } catch (RuntimeException e) {
            throw ConsumerGroupsDescriber.groupFailure(groupId, e);
        }
        Set<TopicPartition> partitions = scoped != null ? scoped : PartitionLookups.existing(admin, committed.keySet());
        if (partitions.isEmpty()) {
            err.println("Consumer group '" + groupId + "' has no committed offsets to reset.");
        }
        Map<TopicPartition, Long> starts = PartitionLookups.offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = PartitionLookups.offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> atTimestamp = spec.kind() == OffsetReset.Kind.TIMESTAMP
                ? PartitionLookups.offsets(admin, partitions, OffsetSpec.forTimestamp(spec.value())) : Map.of();
        Map<TopicPartition, Long> plan = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata current = committed.get(tp);
            OffsetReset.Positions positions = new OffsetReset.Positions(current == null ? null : current.offset(),
                    starts.get(tp), ends.get(tp), atTimestamp.getOrDefault(tp, -1L));
            try {
                plan.put(tp, spec.newOffset(tp, positions, err::println));
            } catch (IllegalArgumentException e) {
                throw new CommandException("consumer group '" + groupId + "': " + e.getMessage(), e);
            }
        }
        return plan;
    }

    private void commit(String groupId, Map<TopicPartition, Long> plan) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        plan.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            ClientCommand.await(admin.alterConsumerGroupOffsets(groupId, offsets).all());
        } catch (RuntimeException e) {
            throw ConsumerGroupsDescriber.groupFailure(groupId, e);
        }
    }
}
