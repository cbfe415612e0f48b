package io.tributary.tools;

import io.tributary.client.Node;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ListTopicsOptions;
import io.tributary.client.admin.NewPartitions;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.admin.TopicPartitionInfo;
import io.tributary.common.errors.TopicExistsException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.OutputFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary topics}: Kafka's {@code kafka-topics.sh} for Tributary. */
@Command(name = "topics", sortOptions = false,
        description = {"Creates, lists, describes, alters (adds partitions to) and deletes topics.",
            "Except with --create, --topic is a regular expression matched against whole topic names, as in Kafka."})
final class TopicsCommand extends ClientCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    /** Exactly one of these. */
    static final class Action {
        @Option(names = "--create", required = true, description = "Create a topic.")
        boolean create;

        @Option(names = "--list", required = true, description = "List topic names.")
        boolean list;

        @Option(names = "--describe", required = true, description = "Describe topics: partitions, leaders, replicas, ISR, configs.")
        boolean describe;

        @Option(names = "--alter", required = true, description = "Raise a topic's partition count to --partitions.")
        boolean alter;

        @Option(names = "--delete", required = true, description = "Delete topics and their data.")
        boolean delete;
    }

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic (a regular expression except with --create).")
    String topic;

    @Option(names = "--partitions", paramLabel = "N",
            description = "With --create: the partition count (default: the node's num.partitions). With --alter: the new count.")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "With --create: the replication factor (default: the node's default.replication.factor).")
    Short replicationFactor;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "With --create: a topic configuration (retention.ms=86400000, ...); repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "With --create: succeed when the topic already exists.")
    boolean ifNotExists;

    @Option(names = "--if-exists", description = "With --describe, --alter, --delete: succeed when no topic matches.")
    boolean ifExists;

    @Option(names = "--exclude-internal", description = "With --list, --describe: leave internal topics out.")
    boolean excludeInternal;

    @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client configuration.")
    Path configFile;

    @Option(names = "--under-replicated-partitions",
            description = "With --describe: only partitions whose ISR is smaller than their replica set.")
    boolean underReplicated;

    @Option(names = "--under-min-isr-partitions", description = "With --describe: only partitions whose ISR is "
            + "smaller than min.insync.replicas (the topic's setting, else 1).")
    boolean underMinIsr;

    @Option(names = "--at-min-isr-partitions",
            description = "With --describe: only partitions whose ISR is exactly min.insync.replicas.")
    boolean atMinIsr;

    @Option(names = "--unavailable-partitions", description = "With --describe: only partitions without a leader.")
    boolean unavailable;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "With --describe: Kafka's text lines (the default) or one line of JSON.")
    String output;

    @Override
    int execute() throws Exception {
        validate();
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
        try (Admin admin = Admin.create(config)) {
            if (action.create) {
                create(admin);
            } else if (action.list) {
                matching(admin).forEach(out()::println);
            } else if (action.describe) {
                describe(admin);
            } else if (action.alter) {
                alter(admin);
            } else {
                delete(admin);
            }
        }
        out().flush();
        return 0;
    }

    private void validate() {
        boolean needsTopic = action.create || action.alter || action.delete;
        if (needsTopic && topic == null) {
            throw usageError("--topic is required with --create, --alter and --delete");
        }
        if (action.alter && partitions == null) {
            throw usageError("--alter needs --partitions, the new partition count");
        }
        if (partitions != null && !(action.create || action.alter)) {
            throw usageError("--partitions is only valid with --create and --alter");
        }
        if (partitions != null && partitions < 1 || replicationFactor != null && replicationFactor < 1) {
            throw usageError("--partitions and --replication-factor must be at least 1");
        }
        if (!action.create && (replicationFactor != null || !configs.isEmpty() || ifNotExists)) {
            throw usageError("--replication-factor, --config and --if-not-exists are only valid with --create");
        }
        if (ifExists && (action.create || action.list)) {
            throw usageError("--if-exists is only valid with --describe, --alter and --delete");
        }
        if (excludeInternal && !(action.list || action.describe)) {
            throw usageError("--exclude-internal is only valid with --list and --describe");
        }
        if (partitionFilters() && !action.describe) {
            throw usageError("--under-replicated-partitions, --under-min-isr-partitions, --at-min-isr-partitions and "
                    + "--unavailable-partitions are only valid with --describe");
        }
        if (OutputFormat.isJson(output, spec.commandLine()) && !action.describe) {
            throw usageError("--output json is only valid with --describe");
        }
        if (!action.create && topic != null) {
            pattern();
        }
    }

    private boolean partitionFilters() {
        return underReplicated || underMinIsr || atMinIsr || unavailable;
    }

    /** With partition filters, whether any of them selects {@code part}; without, every partition. */
    private boolean selected(TopicPartitionInfo part, int minIsr) {
        return !partitionFilters() || underReplicated && part.isr().size() < part.replicas().size()
                || underMinIsr && part.isr().size() < minIsr || atMinIsr && part.isr().size() == minIsr
                || unavailable && part.leader() == null;
    }

    private Pattern pattern() {
        try {
            return Pattern.compile(topic);
        } catch (PatternSyntaxException e) {
            throw usageError("--topic is not a valid regular expression: " + e.getDescription());
        }
    }

    private void create(Admin admin) throws InterruptedException {
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor));
        if (!configs.isEmpty()) {
            newTopic.configs(configs);
        }
        try {
            await(admin.createTopics(List.of(newTopic)).all());
        } catch (TopicExistsException e) {
            if (ifNotExists) {
                return;
            }
            throw new CommandException("topic '" + topic + "' already exists", e);
        }
        out().println("Created topic " + topic + ".");
    }

    /** Topic names, sorted, matching --topic (all without it); internal topics left out with --exclude-internal. */
    private List<String> matching(Admin admin) throws InterruptedException {
        ListTopicsOptions options = new ListTopicsOptions().listInternal(!excludeInternal);
        Collection<String> listed = await(admin.listTopics(options).names());
        Pattern pattern = topic == null ? null : pattern();
        List<String> matches = listed.stream().filter(name -> pattern == null || pattern.matcher(name).matches())
                .sorted().toList();
        if (matches.isEmpty() && topic != null && !ifExists && !action.list) {
            throw new CommandException("topic '" + topic + "' does not exist");
        }
        return matches;
    }

    private void describe(Admin admin) throws InterruptedException {
        List<String> names = matching(admin);
        if (names.isEmpty()) {
            if (output.equals("json")) {
                out().println("[]");
            }
            return;
        }
        Map<String, TopicDescription> descriptions = new TreeMap<>(await(admin.describeTopics(names).allTopicNames()));
        if (output.equals("json")) {
            out().println(Json.write(descriptions.values().stream().map(this::json).toList()));
            return;
        }
        PrintWriter out = out();
        for (TopicDescription description : descriptions.values()) {
            List<TopicPartitionInfo> parts = description.partitions();
            String configText = new TreeMap<>(description.configs()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            if (!partitionFilters()) {
                // As Kafka: the topic line only when describing whole topics, not filtering partitions.
                out.println("Topic: " + description.name() + "\tTopicId: " + description.topicId()
                        + "\tPartitionCount: " + parts.size() + "\tReplicationFactor: "
                        + (parts.isEmpty() ? 0 : parts.getFirst().replicas().size()) + "\tConfigs: " + configText);
            }
            int minIsr = Integer.parseInt(description.configs().getOrDefault("min.insync.replicas", "1"));
            for (TopicPartitionInfo part : parts.stream().filter(p -> selected(p, minIsr)).toList()) {
                out.println("\tTopic: " + description.name() + "\tPartition: " + part.partition() + "\tLeader: "
                        + (part.leader() == null ? "none" : Integer.toString(part.leader().id()))
                        + "\tReplicas: " + ids(part.replicas()) + "\tIsr: " + ids(part.isr()));
            }
        }
    }

    /**
     * A topic as JSON: its partitions those the filters select; {@code offline} lists the replicas
     * that are not on a live broker, {@code leader} is null without one.
     */
    private Object json(TopicDescription description) {
        List<TopicPartitionInfo> parts = description.partitions();
        int minIsr = Integer.parseInt(description.configs().getOrDefault("min.insync.replicas", "1"));
        List<Object> partitionsJson = parts.stream().filter(p -> selected(p, minIsr)).<Object>map(part -> Json.object(
                "partition", part.partition(), "leader", part.leader() == null ? null : part.leader().id(),
                "replicas", idList(part.replicas()), "isr", idList(part.isr()),
                "offline", idList(part.replicas().stream().filter(node -> node.port() < 0).toList()))).toList();
        return Json.object("topic", description.name(), "topicId", description.topicId().toString(),
                "internal", description.isInternal(), "partitionCount", parts.size(),
                "replicationFactor", parts.isEmpty() ? 0 : parts.getFirst().replicas().size(),
                "configs", new TreeMap<String, Object>(description.configs()), "partitions", partitionsJson);
    }

    private static List<Integer> idList(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(node -> Integer.toString(node.id())).collect(Collectors.joining(","));
    }

    private void alter(Admin admin) throws InterruptedException {
        List<String> names = matching(admin);
        if (names.isEmpty()) {
            return;
        }
        await(admin.createPartitions(toMap(names, name -> NewPartitions.increaseTo(partitions))).all());
        names.forEach(name -> out().println("Topic " + name + " now has " + partitions + " partitions."));
    }

    private void delete(Admin admin) throws InterruptedException {
        List<String> names = matching(admin);
        if (names.isEmpty()) {
            return;
        }
        await(admin.deleteTopics(names).all());
        names.forEach(name -> out().println("Deleted topic " + name + "."));
    }

    private static <V> Map<String, V> toMap(List<String> names, Function<String, V> value) {
        Map<String, V> map = new LinkedHashMap<>();
        names.forEach(name -> map.put(name, value.apply(name)));
        return map;
    }
}
