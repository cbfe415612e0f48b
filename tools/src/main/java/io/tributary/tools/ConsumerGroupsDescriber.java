package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.MemberDescription;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupIdNotFoundException;
import io.tributary.common.errors.GroupNotEmptyException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code consumer-groups --describe}: Kafka's three views of groups (offsets and lag per partition,
 * members, state) as text tables or JSON. Notes about a group (no active members, rebalancing) go
 * to stderr, as Kafka prints them, so stdout stays a table or JSON.
 */
final class ConsumerGroupsDescriber {

    /** The view asked for. */
    enum Mode { OFFSETS, MEMBERS, STATE }

    private static final List<String> OFFSETS_COLUMNS = List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET",
            "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");

    private final Admin admin;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean verbose;

    ConsumerGroupsDescriber(Admin admin, PrintWriter out, PrintWriter err, boolean json, boolean verbose) {
        this.admin = admin;
        this.out = out;
        this.err = err;
        this.json = json;
        this.verbose = verbose;
    }

    /** One group's view: a table (text output) and the same as a JSON value. */
    private record View(Table table, Object json) {
    }

    /**
     * Describes each group that exists, then fails naming those that do not.
     *
     * @throws CommandException when a group does not exist or its id is invalid
     */
    void describe(List<String> groupIds, Mode mode) throws InterruptedException {
        Map<String, CompletableFuture<ConsumerGroupDescription>> futures = admin.describeConsumerGroups(groupIds)
                .describedGroups();
        List<Object> described = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ConsumerGroupDescription>> future : futures.entrySet()) {
            ConsumerGroupDescription group;
            try {
                group = ClientCommand.await(future.getValue());
            } catch (GroupIdNotFoundException e) {
                missing.add(future.getKey());
                continue;
            } catch (RuntimeException e) {
                throw groupFailure(future.getKey(), e);
            }
            View view = switch (mode) {
                case OFFSETS -> offsets(group);
                case MEMBERS -> members(group);
                case STATE -> state(group);
            };
            if (json) {
                described.add(view.json());
            } else {
                if (mode != Mode.STATE) {
                    noteState(group);
                }
                printTable(view.table());
            }
        }
        if (json) {
            out.println(Json.write(described));
        }
        out.flush();
        if (!missing.isEmpty()) {
            throw new CommandException(missing.size() == 1 ? "consumer group '" + missing.getFirst() + "' does not exist"
                    : "consumer groups " + missing.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "))
                    + " do not exist");
        }
    }

    /** One row per partition the group has an offset for or a member owns, and one per member owning none. */
    private View offsets(ConsumerGroupDescription group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = ClientCommand.await(admin.listConsumerGroupOffsets(
                group.groupId()).partitionsToOffsetAndMetadata());
        Map<TopicPartition, MemberDescription> owners = new TreeMap<>();
        group.members().forEach(m -> m.assignment().forEach(tp -> owners.put(tp, m)));
        Set<TopicPartition> partitions = new TreeSet<>(committed.keySet());
        partitions.addAll(owners.keySet());
        Map<TopicPartition, Long> logEnds = PartitionLookups.offsets(admin, PartitionLookups.existing(admin,
                partitions), OffsetSpec.latest());
        Table table = new Table(OFFSETS_COLUMNS);
        List<Object> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long current = committed.containsKey(tp) ? committed.get(tp).offset() : null;
            Long logEnd = logEnds.get(tp);
            MemberDescription owner = owners.get(tp);
            Long lag = current != null && logEnd != null ? logEnd - current : null;
            table.row(Arrays.asList(group.groupId(), tp.topic(), tp.partition(), current, logEnd, lag, memberId(owner),
                    owner == null ? null : owner.host(), owner == null ? null : owner.clientId()));
            rows.add(Json.object("topic", tp.topic(), "partition", tp.partition(), "currentOffset", current,
                    "logEndOffset", logEnd, "lag", lag, "consumerId", memberId(owner),
                    "host", owner == null ? null : owner.host(), "clientId", owner == null ? null : owner.clientId()));
        }
        for (MemberDescription idle : group.members().stream().filter(m -> m.assignment().isEmpty()).toList()) {
            table.row(Arrays.asList(group.groupId(), null, null, null, null, null, idle.memberId(), idle.host(),
                    idle.clientId()));
            rows.add(Json.object("topic", null, "partition", null, "currentOffset", null, "logEndOffset", null,
                    "lag", null, "consumerId", idle.memberId(), "host", idle.host(), "clientId", idle.clientId()));
        }
        return new View(table, Json.object("group", group.groupId(), "state", group.state().toString(),
                "partitions", rows));
    }

    private static String memberId(MemberDescription member) {
        return member == null ? null : member.memberId();
    }

    private View members(ConsumerGroupDescription group) {
        List<String> columns = new ArrayList<>(List.of("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID",
                "#PARTITIONS"));
        if (verbose) {
            columns.addAll(List.of("EPOCH", "ASSIGNMENT", "TARGET-ASSIGNMENT"));
        }
        Table table = new Table(columns);
        List<Object> members = new ArrayList<>();
        for (MemberDescription m : group.members()) {
            List<Object> row = new ArrayList<>(Arrays.asList(group.groupId(), m.memberId(),
                    m.groupInstanceId().orElse(null), m.host(), m.clientId(), m.assignment().size()));
            if (verbose) {
                row.addAll(Arrays.asList(m.memberEpoch(), assignmentText(m.assignment()),
                        assignmentText(m.targetAssignment())));
            }
            table.row(row);
            members.add(Json.object("consumerId", m.memberId(), "groupInstanceId", m.groupInstanceId().orElse(null),
                    "host", m.host(), "clientId", m.clientId(), "memberEpoch", m.memberEpoch(),
                    "assignment", partitions(m.assignment()), "targetAssignment", partitions(m.targetAssignment())));
        }
        return new View(table, Json.object("group", group.groupId(), "state", group.state().toString(),
                "members", members));
    }

    private View state(ConsumerGroupDescription group) {
        List<String> columns = new ArrayList<>(List.of("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE",
                "#MEMBERS"));
        String assignor = group.partitionAssignor().isEmpty() ? null : group.partitionAssignor();
        List<Object> row = new ArrayList<>(Arrays.asList(group.groupId(), group.coordinator().address() + " ("
                + group.coordinator().id() + ")", assignor, group.state().toString(), group.members().size()));
        if (verbose) {
            columns.addAll(List.of("GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH"));
            row.addAll(List.of(group.groupEpoch(), group.assignmentEpoch()));
        }
        return new View(new Table(columns).row(row), Json.object("group", group.groupId(),
                "coordinator", Json.object("id", group.coordinator().id(), "host", group.coordinator().host(),
                        "port", group.coordinator().port()),
                "assignmentStrategy", assignor, "state", group.state().toString(), "members", group.members().size(),
                "groupEpoch", group.groupEpoch(), "targetAssignmentEpoch", group.assignmentEpoch()));
    }

    /** Kafka's notes before a group's table, on stderr. */
    private void noteState(ConsumerGroupDescription group) {
        if (group.state() == ConsumerGroupState.EMPTY) {
            err.println("\nConsumer group '" + group.groupId() + "' has no active members.");
        } else if (group.state() != ConsumerGroupState.STABLE) {
            err.println("\nWarning: Consumer group '" + group.groupId() + "' is rebalancing.");
        }
        err.flush();
    }

    /** A blank line, then the table (nothing when it has no rows), as Kafka prints each group. */
    private void printTable(Table table) {
        if (!table.isEmpty()) {
            out.println();
            table.print(out);
        }
    }

    private static List<Object> partitions(Set<TopicPartition> partitions) {
        return partitions.stream().<Object>map(tp -> Json.object("topic", tp.topic(), "partition", tp.partition()))
                .toList();
    }

    /** Kafka's assignment text: {@code orders(0,1),payments(2)}; null (printed "-") when empty. */
    static String assignmentText(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return null;
        }
        Map<String, List<String>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(Integer.toString(tp.partition())));
        return byTopic.entrySet().stream().map(e -> e.getKey() + "(" + String.join(",", e.getValue()) + ")")
                .collect(Collectors.joining(","));
    }

    /**
     * What a group-level failure means for users: a {@link CommandException} saying so for a group
     * that does not exist, has an invalid id or is not empty; {@code e} itself otherwise (a timeout
     * then gets the command's message).
     */
    static RuntimeException groupFailure(String groupId, RuntimeException e) {
        if (e instanceof GroupIdNotFoundException) {
            return new CommandException("consumer group '" + groupId + "' does not exist", e);
        }
        if (e instanceof GroupNotEmptyException) {
            return new CommandException("consumer group '" + groupId + "' is not empty: it has active members ("
                    + e.getMessage() + ")", e);
        }
        if (e instanceof InvalidGroupIdException) {
            return new CommandException("'" + groupId + "' is not a valid group id: " + e.getMessage(), e);
        }
        return e;
    }
}
