package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.DeleteConsumerGroupOffsetsResult;
import io.tributary.client.admin.ListConsumerGroupsOptions;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupSubscribedToTopicException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.OffsetReset;
import io.tributary.tools.internal.Table;
import io.tributary.tools.internal.TopicScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary consumer-groups}: Kafka's {@code kafka-consumer-groups.sh}. */
@Command(name = "consumer-groups", sortOptions = false,
        description = {"Lists, describes and deletes consumer groups, and resets or deletes their committed offsets.",
            "Offsets can be reset only while a group has no members (state Empty); --reset-offsets only prints the plan "
                + "unless --execute is given."})
final class ConsumerGroupsCommand extends ClientCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    /** Exactly one of these. */
    static final class Action {
        @Option(names = "--list", required = true, description = "List the groups (with --state: and their states).")
        boolean list;

        @Option(names = "--describe", required = true,
                description = "Describe groups: offsets and lag per partition (the default), --members or --state.")
        boolean describe;

        @Option(names = "--reset-offsets", required = true, description = "Reset the offsets of inactive groups: one "
                + "of --to-earliest, --to-latest, --to-current, --to-offset, --to-datetime, --shift-by, --by-duration; "
                + "--topic or --all-topics; --dry-run (the default) or --execute.")
        boolean resetOffsets;

        @Option(names = "--delete", required = true, description = "Delete groups that have no members, with their offsets.")
        boolean delete;

        @Option(names = "--delete-offsets", required = true,
                description = "Delete a group's committed offsets of --topic TOPIC[:P,P...].")
        boolean deleteOffsets;
    }

    @Option(names = "--group", paramLabel = "GROUP", description = "The group; repeatable (except with --delete-offsets).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--all-groups", description = "Every group (with --describe, --reset-offsets, --delete).")
    boolean allGroups;

    @Option(names = "--topic", paramLabel = "TOPIC[:P,P...]",
            description = "With --reset-offsets and --delete-offsets: a topic, or some of its partitions; repeatable.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--all-topics", description = "With --reset-offsets: every topic the group has offsets for.")
    boolean allTopics;

    @Option(names = "--offsets", description = "With --describe: offsets and lag per partition (the default).")
    boolean offsets;

    @Option(names = "--members", description = "With --describe: the members.")
    boolean members;

    @Option(names = "--state", arity = "0..1", fallbackValue = "", paramLabel = "STATE[,STATE...]",
            description = "With --describe: coordinator, assignor, state and member count. With --list: show states, "
                    + "and only those given (Empty, Assigning, Reconciling, Stable).")
    String state;

    @Option(names = "--verbose", description = "With --describe --members: epochs and assignments. With --describe "
            + "--state: group and assignment epochs.")
    boolean verbose;

    @Mixin
    ResetOptions reset;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "With --list and --describe: text tables (the default) or one line of JSON.")
    String output;

    @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client configuration.")
    Path configFile;

    @Override
    int execute() throws Exception {
        ConsumerGroupsValidation.validate(this);
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
        try (Admin admin = Admin.create(config)) {
            if (action.list) {
                list(admin);
            } else if (action.describe) {
                new ConsumerGroupsDescriber(admin, out(), err(), json(), verbose).describe(targetGroups(admin), mode());
            } else if (action.resetOffsets) {
                new ConsumerGroupsReset(admin, out(), err()).reset(targetGroups(admin), resetSpec(), scope(),
                        reset.execute);
            } else if (action.delete) {
                delete(admin, targetGroups(admin));
            } else {
                deleteOffsets(admin);
            }
        } finally {
            out().flush();
        }
        return 0;
    }

    boolean json() {
        return output.equals("json");
    }

    ConsumerGroupsDescriber.Mode mode() {
        return members ? ConsumerGroupsDescriber.Mode.MEMBERS : state != null ? ConsumerGroupsDescriber.Mode.STATE
                : ConsumerGroupsDescriber.Mode.OFFSETS;
    }

    /** The states of {@code --list --state A,B}; empty for any state. */
    Set<ConsumerGroupState> listedStates() {
        Set<ConsumerGroupState> states = EnumSet.noneOf(ConsumerGroupState.class);
        for (String name : state == null || state.isBlank() ? new String[0] : state.split(",")) {
            ConsumerGroupState parsed = ConsumerGroupState.parse(name.strip());
            if (parsed == ConsumerGroupState.UNKNOWN) {
                throw usageError("--state takes Empty, Assigning, Reconciling or Stable (comma-separated); got '"
                        + name.strip() + "'");
            }
            states.add(parsed);
        }
        return states;
    }

    /** The reset the options ask for (validation made sure there is exactly one). */
    OffsetReset resetSpec() {
        try {
            return reset.spec(System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /** The parsed {@code --topic} options; empty with {@code --all-topics}. */
    List<TopicScope> scope() {
        List<TopicScope> scopes = new ArrayList<>();
        for (String topic : topics) {
            try {
                scopes.add(TopicScope.parse(topic));
            } catch (IllegalArgumentException e) {
                throw usageError(e.getMessage());
            }
        }
        return scopes;
    }

    private List<String> targetGroups(Admin admin) throws InterruptedException {
        if (!allGroups) {
            return List.copyOf(new LinkedHashSet<>(groups));
        }
        return await(admin.listConsumerGroups().all()).stream().map(ConsumerGroupListing::groupId).toList();
    }

    private void list(Admin admin) throws InterruptedException {
        Collection<ConsumerGroupListing> listed = await(admin.listConsumerGroups(new ListConsumerGroupsOptions()
                .inStates(listedStates())).all());
        if (json()) {
            out().println(Json.write(listed.stream()
                    .map(g -> Json.object("group", g.groupId(), "state", g.state().toString())).toList()));
        } else if (state != null) {
            Table table = new Table(List.of("GROUP", "STATE"));
            listed.forEach(g -> table.row(List.of(g.groupId(), g.state())));
            table.print(out());
        } else {
            listed.forEach(g -> out().println(g.groupId()));
        }
    }

    private void delete(Admin admin, List<String> targets) throws InterruptedException {
        Map<String, CompletableFuture<Void>> results = admin.deleteConsumerGroups(targets).deletedGroups();
        List<String> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Void>> result : results.entrySet()) {
            try {
                await(result.getValue());
                deleted.add(result.getKey());
            } catch (TimeoutException e) {
                // The cluster did not answer: the command's own timeout message says so better than a list would.
                throw e;
            } catch (RuntimeException e) {
                failures.add("* Group '" + result.getKey() + "' could not be deleted: "
                        + ConsumerGroupsDescriber.groupFailure(result.getKey(), e).getMessage());
            }
        }
        if (!deleted.isEmpty()) {
            out().println("Deletion of requested consumer groups (" + quoted(deleted) + ") was successful.");
        }
        if (!failures.isEmpty()) {
            throw new CommandException("Deletion of some consumer groups failed:\n" + String.join("\n", failures));
        }
    }

    private void deleteOffsets(Admin admin) throws InterruptedException {
        String group = groups.getFirst();
        Set<TopicPartition> partitions = PartitionLookups.partitionsOf(admin, scope());
        DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets(group, partitions);
        Table table = new Table(List.of("TOPIC", "PARTITION", "STATUS"));
        int failed = 0;
        for (TopicPartition tp : partitions) {
            String status = "Successful";
            try {
                await(result.partitionResult(tp));
            } catch (GroupSubscribedToTopicException | UnknownTopicOrPartitionException e) {
                status = "Error: " + e.getMessage();
                failed++;
            } catch (RuntimeException e) {
                throw ConsumerGroupsDescriber.groupFailure(group, e);
            }
            table.row(List.of(tp.topic(), tp.partition(), status));
        }
        table.print(out());
        if (failed > 0) {
            throw new CommandException("the offsets of " + failed + " partition(s) of group '" + group
                    + "' could not be deleted (see above)");
        }
    }

    private static String quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }

    /** The {@code --reset-offsets} options. */
    static final class ResetOptions {
        @Option(names = "--to-earliest", description = "Reset to the log start offset.")
        boolean toEarliest;

        @Option(names = "--to-latest", description = "Reset to the log end offset.")
        boolean toLatest;

        @Option(names = "--to-current", description = "Reset to the committed offset (the log end where there is none).")
        boolean toCurrent;

        @Option(names = "--to-offset", paramLabel = "N", description = "Reset to offset N (kept within the log).")
        Long toOffset;

        @Option(names = "--to-datetime", paramLabel = "YYYY-MM-DDTHH:mm:SS.sss",
                description = "Reset to the first record at or after this time (UTC unless an offset such as +01:00 follows).")
        String toDatetime;

        @Option(names = "--shift-by", paramLabel = "N", description = "Move the committed offset by N (may be negative).")
        Long shiftBy;

        @Option(names = "--by-duration", paramLabel = "PnDTnHnMnS",
                description = "Reset to the first record at or after this long ago.")
        String byDuration;

        @Option(names = "--dry-run", description = "Print the new offsets without changing them (the default).")
        boolean dryRun;

        @Option(names = "--execute", description = "Commit the new offsets.")
        boolean execute;

        /** The names of the specs given, for validation messages. */
        List<String> given() {
            List<String> given = new ArrayList<>();
            String[] names = {"--to-earliest", "--to-latest", "--to-current", "--to-offset", "--to-datetime",
                "--shift-by", "--by-duration"};
            boolean[] set = {toEarliest, toLatest, toCurrent, toOffset != null, toDatetime != null, shiftBy != null,
                byDuration != null};
            for (int i = 0; i < names.length; i++) {
                if (set[i]) {
                    given.add(names[i]);
                }
            }
            return given;
        }

        /** @throws IllegalArgumentException for a malformed date-time or duration */
        OffsetReset spec(long nowMs) {
            return toEarliest ? new OffsetReset(OffsetReset.Kind.EARLIEST, 0)
                    : toLatest ? new OffsetReset(OffsetReset.Kind.LATEST, 0)
                    : toCurrent ? new OffsetReset(OffsetReset.Kind.CURRENT, 0)
                    : toOffset != null ? new OffsetReset(OffsetReset.Kind.OFFSET, toOffset)
                    : shiftBy != null ? new OffsetReset(OffsetReset.Kind.SHIFT, shiftBy)
                    : toDatetime != null ? OffsetReset.toDatetime(toDatetime)
                    : OffsetReset.byDuration(byDuration, nowMs);
        }
    }
}
