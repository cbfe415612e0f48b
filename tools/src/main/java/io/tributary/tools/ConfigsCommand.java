package io.tributary.tools;

import io.tributary.client.Node;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.AlterConfigsOptions;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.admin.ListTopicsOptions;
import io.tributary.common.errors.TributaryException;
import io.tributary.tools.internal.ClientProperties;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.ConfigAssignments;
import io.tributary.tools.internal.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary configs}: Kafka's {@code kafka-configs.sh} for Tributary (topics and brokers). */
@Command(name = "configs", sortOptions = false,
        description = {"Describes and alters the dynamic configs of topics and brokers.",
            "Topic configs override the broker defaults; broker configs set per broker (--entity-name ID) override the "
                    + "cluster-wide default (--entity-default), which overrides server.properties."})
final class ConfigsCommand extends ClientCommand {

    static final String TOPICS = "topics";
    static final String BROKERS = "brokers";

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    /** Exactly one of these. */
    static final class Action {
        @Option(names = "--describe", required = true, description = "Show the configs of the entity (or entities).")
        boolean describe;

        @Option(names = "--alter", required = true, description = "Change the configs of one entity.")
        boolean alter;
    }

    @Option(names = "--entity-type", paramLabel = "topics|brokers", description = "What to describe or alter.")
    String entityType;

    @Option(names = "--entity-name", paramLabel = "NAME",
            description = "The topic name or broker id. Without it, --describe shows every topic or broker.")
    String entityName;

    @Option(names = "--entity-default",
            description = "With --entity-type brokers: the cluster-wide default of every broker.")
    boolean entityDefault;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Short for --entity-type topics --entity-name TOPIC.")
    String topic;

    @Option(names = "--broker", paramLabel = "ID", description = "Short for --entity-type brokers --entity-name ID.")
    String broker;

    @Option(names = "--broker-defaults", description = "Short for --entity-type brokers --entity-default.")
    boolean brokerDefaults;

    @Option(names = "--add-config", paramLabel = "K1=V1,K2=[A,B]",
            description = "With --alter: configs to set; square brackets hold a list value (cleanup.policy=[delete,compact]).")
    String addConfig;

    @Option(names = "--add-config-file", paramLabel = "FILE",
            description = "With --alter: a properties file of configs to set.")
    Path addConfigFile;

    @Option(names = "--delete-config", paramLabel = "K1,K2",
            description = "With --alter: configs to remove, so the next level's value applies.")
    String deleteConfig;

    @Option(names = "--all", description = "With --describe: every config with its effective value and source, "
            + "not only the dynamic ones.")
    boolean all;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "With --describe: text (the default, as kafka-configs.sh) or one line of JSON.")
    String output;

    @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of admin client configuration.")
    Path configFile;

    /** The entity type and name after shorthands: name null for "every entity". */
    private record Entity(String type, String name) {
    }

    @Override
    int execute() throws Exception {
        Entity entity = entity();
        if (action.describe && (addConfig != null || addConfigFile != null || deleteConfig != null)) {
            throw usageError("--add-config, --add-config-file and --delete-config are only valid with --alter");
        }
        Map<String, String> sets = action.alter ? validateAlter(entity) : Map.of();
        List<String> deletes = deleteConfig == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(ConfigAssignments.keys(deleteConfig)));
        OutputFormat.isJson(output, spec.commandLine());
        if (action.alter && !output.equals("text") || action.alter && all) {
            throw usageError("--all and --output are only valid with --describe");
        }
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
        try (Admin admin = Admin.create(config)) {
            if (action.alter) {
                alter(admin, resource(entity.type(), entity.name()), sets, deletes);
            } else {
                new ConfigsDescriber(admin, out(), all, output.equals("json")).describe(resources(admin, entity));
            }
        } finally {
            out().flush();
        }
        return 0;
    }

    /** Resolves --entity-type/--entity-name/--entity-default and the shorthands; usage errors for conflicts. */
    private Entity entity() {
        List<Entity> given = new ArrayList<>();
        if (topic != null) {
            given.add(new Entity(TOPICS, topic));
        }
        if (broker != null) {
            given.add(new Entity(BROKERS, broker));
        }
        if (brokerDefaults) {
            given.add(new Entity(BROKERS, ""));
        }
        if (given.size() > 1 || !given.isEmpty() && (entityType != null || entityName != null || entityDefault)) {
            throw usageError("give the entity once: --topic, --broker and --broker-defaults cannot be combined with "
                    + "each other or with --entity-type, --entity-name and --entity-default");
        }
        Entity entity = given.isEmpty() ? explicitEntity() : given.get(0);
        if (entity.type().equals(BROKERS) && entity.name() != null && !entity.name().isEmpty()
                && !entity.name().matches("0|[1-9]\\d*")) {
            throw usageError("a broker is named by its id (a number without sign or leading zeros), got '"
                    + entity.name() + "'");
        }
        if (entity.type().equals(TOPICS) && entity.name() != null && entity.name().isEmpty()) {
            throw usageError("--entity-name must not be empty");
        }
        return entity;
    }

    private Entity explicitEntity() {
        if (entityType == null) {
            throw usageError("--entity-type (topics or brokers) is required, or use --topic, --broker or "
                    + "--broker-defaults");
        }
        if (!entityType.equals(TOPICS) && !entityType.equals(BROKERS)) {
            throw usageError("--entity-type must be topics or brokers, got '" + entityType + "'");
        }
        if (entityDefault && entityType.equals(TOPICS)) {
            throw usageError("--entity-default is only valid with --entity-type brokers");
        }
        if (entityDefault && entityName != null) {
            throw usageError("--entity-name and --entity-default cannot be combined");
        }
        return new Entity(entityType, entityDefault ? "" : entityName);
    }

    /** The configs to set; usage errors for a missing entity or change, and for keys both set and deleted. */
    private Map<String, String> validateAlter(Entity entity) {
        if (entity.name() == null) {
            throw usageError("--alter needs the entity: --entity-name" + (entity.type().equals(BROKERS)
                    ? " or --entity-default" : "") + " (or --topic, --broker, --broker-defaults)");
        }
        if (addConfig == null && addConfigFile == null && deleteConfig == null) {
            throw usageError("--alter needs --add-config, --add-config-file or --delete-config");
        }
        Map<String, String> sets = new LinkedHashMap<>();
        if (addConfigFile != null) {
            try {
                ClientProperties.load(addConfigFile).forEach((k, v) -> sets.put(k, String.valueOf(v)));
            } catch (IllegalArgumentException e) {
                throw usageError("--add-config-file: " + e.getMessage());
            }
        }
        if (addConfig != null) {
            try {
                sets.putAll(ConfigAssignments.parse(addConfig));
            } catch (IllegalArgumentException e) {
                throw usageError("--add-config: " + e.getMessage());
            }
        }
        if (deleteConfig != null) {
            for (String key : ConfigAssignments.keys(deleteConfig)) {
                if (sets.containsKey(key)) {
                    throw usageError("config '" + key + "' is both added and deleted; give it in only one of "
                            + "--add-config/--add-config-file and --delete-config");
                }
            }
        }
        return sets;
    }

    private void alter(Admin admin, ConfigResource resource, Map<String, String> sets, List<String> deletes)
            throws InterruptedException {
        List<AlterConfigOp> ops = new ArrayList<>();
        sets.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        deletes.forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE)));
        Map<ConfigResource, Collection<AlterConfigOp>> changes = Map.of(resource, ops);
        try {
            await(admin.incrementalAlterConfigs(changes, new AlterConfigsOptions()).all());
        } catch (TributaryException e) {
            if (e instanceof io.tributary.common.errors.TimeoutException) {
                throw e;
            }
            throw new CommandException("could not alter the configs of " + ConfigsDescriber.describe(resource) + ": "
                    + e.getMessage(), e);
        }
        out().println(resource.isDefault() ? "Completed updating default config for brokers in the cluster."
                : "Completed updating config for " + (resource.type() == ConfigResource.Type.TOPIC ? "topic "
                : "broker ") + resource.name() + ".");
    }

    /** The named entity, or every topic (internal ones too) or the broker default and every broker. */
    private List<ConfigResource> resources(Admin admin, Entity entity) throws InterruptedException {
        if (entity.name() != null) {
            return List.of(resource(entity.type(), entity.name()));
        }
        List<ConfigResource> resources = new ArrayList<>();
        if (entity.type().equals(TOPICS)) {
            await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()).stream().sorted()
                    .forEach(name -> resources.add(resource(TOPICS, name)));
        } else {
            resources.add(resource(BROKERS, ""));
            await(admin.describeCluster().nodes()).stream().map(Node::id).sorted()
                    .forEach(id -> resources.add(resource(BROKERS, Integer.toString(id))));
        }
        return resources;
    }

    private static ConfigResource resource(String type, String name) {
        return new ConfigResource(type.equals(TOPICS) ? ConfigResource.Type.TOPIC : ConfigResource.Type.BROKER, name);
    }
}
