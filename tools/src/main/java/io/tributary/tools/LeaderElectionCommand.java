package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ElectionType;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ElectionNotNeededException;
import io.tributary.tools.internal.CommandException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary leader-election}: Kafka's {@code kafka-leader-election.sh}. */
@Command(name = "leader-election", sortOptions = false,
        description = {"Elects partition leaders now: preferred (each partition's first replica leads again, if it is "
                + "in sync and alive) or unclean (a leaderless partition gets a live replica even if it is out of "
                + "sync, which can lose acknowledged records).",
            "Exits with 1 when some partition could not get the leader asked for."})
final class LeaderElectionCommand extends ClientCommand {

    private static final java.util.Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    @Option(names = "--election-type", required = true, paramLabel = "preferred|unclean",
            description = "PREFERRED or UNCLEAN (either case).")
    String electionType;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    /** Which partitions: exactly one of these. */
    static final class Scope {
        @Option(names = "--all-topic-partitions", required = true, description = "Every partition of every topic.")
        boolean all;

        @ArgGroup(exclusive = false)
        One one;
    }

    /** One partition. */
    static final class One {
        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic (with --partition).")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "N", description = "The partition (with --topic).")
        int partition;
    }

    @Option(names = "--admin.config", paramLabel = "FILE", description = "A properties file of admin client configuration.")
    Path configFile;

    @Override
    int execute() throws Exception {
        ElectionType type = parseType();
        Set<TopicPartition> partitions = scope.all ? null : Set.of(new TopicPartition(scope.one.topic,
                scope.one.partition));
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--admin.config"), Map.of());
        Map<TopicPartition, Optional<Throwable>> outcomes;
        try (Admin admin = Admin.create(config)) {
            outcomes = new TreeMap<>(BY_TOPIC_AND_PARTITION);
            outcomes.putAll(await(admin.electLeaders(type, partitions).partitions()));
        }
        return report(type, outcomes);
    }

    private ElectionType parseType() {
        try {
            return ElectionType.valueOf(electionType.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usageError("--election-type must be preferred or unclean; got '" + electionType + "'");
        }
    }

    /** Kafka's output: the elected partitions, those that needed no election, then each failure. */
    private int report(ElectionType type, Map<TopicPartition, Optional<Throwable>> outcomes) {
        List<TopicPartition> elected = new ArrayList<>();
        List<TopicPartition> notNeeded = new ArrayList<>();
        Map<TopicPartition, Throwable> failed = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        outcomes.forEach((tp, outcome) -> {
            if (outcome.isEmpty()) {
                elected.add(tp);
            } else if (outcome.get() instanceof ElectionNotNeededException) {
                notNeeded.add(tp);
            } else {
                failed.put(tp, outcome.get());
            }
        });
        if (!elected.isEmpty()) {
            out().println("Successfully completed leader election (" + type + ") for partitions " + names(elected));
        }
        if (!notNeeded.isEmpty()) {
            out().println("Valid replica already elected for partitions " + names(notNeeded));
        }
        failed.forEach((tp, error) -> out().println("Error completing leader election (" + type + ") for partition: "
                + tp.topic() + "-" + tp.partition() + ": " + error.getMessage()));
        out().flush();
        if (!failed.isEmpty()) {
            throw new CommandException(failed.size() + " replica(s) could not be elected");
        }
        return 0;
    }

    private static String names(List<TopicPartition> partitions) {
        return partitions.stream().map(tp -> tp.topic() + "-" + tp.partition()).collect(Collectors.joining(", "));
    }
}
