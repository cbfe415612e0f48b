package io.tributary.broker.server;

import static io.tributary.common.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LIST;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.Type.STRING;
import static io.tributary.common.config.ConfigDef.atLeast;
import static io.tributary.common.config.ConfigDef.between;
import static io.tributary.common.config.ConfigDef.nonEmpty;
import static io.tributary.common.config.ConfigDef.oneOf;

import io.tributary.broker.group.GroupCoordinatorConfig;
import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.quorum.image.DynamicBrokerConfigs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's configuration: every key with its type, default, validator and documentation, in one
 * place. Keys reuse Kafka's names where the concept is the same. Built once at start-up; immutable.
 */
public final class BrokerConfig {

    public static final String NODE_ID = "node.id";
    public static final String PROCESS_ROLES = "process.roles";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LOG_DIRS = "log.dirs";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_FLUSH_ON_COMMIT = "log.flush.on.commit";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "log.message.timestamp.before.max.ms";
    public static final String LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS = "log.message.timestamp.after.max.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String NUM_RECOVERY_THREADS_PER_DATA_DIR = "num.recovery.threads.per.data.dir";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String CONTROLLED_SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final String METADATA_LOG_DIR = "metadata.log.dir";
    public static final String QUORUM_ELECTION_TIMEOUT_MS = "controller.quorum.election.timeout.ms";
    public static final String QUORUM_FETCH_TIMEOUT_MS = "controller.quorum.fetch.timeout.ms";
    public static final String QUORUM_VOTERS = "controller.quorum.voters";
    public static final String SNAPSHOT_MAX_BYTES = "metadata.log.max.record.bytes.between.snapshots";
    public static final String SNAPSHOT_INTERVAL_MS = "metadata.log.max.snapshot.interval.ms";
    public static final String QUORUM_REQUEST_TIMEOUT_MS = "controller.quorum.request.timeout.ms";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String BROKER_HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    public static final String BROKER_SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    public static final String BROKER_RACK = "broker.rack";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String AUTO_LEADER_REBALANCE_ENABLE = "auto.leader.rebalance.enable";
    public static final String LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = "leader.imbalance.per.broker.percentage";
    public static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";

    /** Every key, in listing order: the replication keys come between the request and the shutdown keys. */
    public static final ConfigDef CONFIG_DEF = GroupCoordinatorConfig.define(MetricsConfig.define(
            ReplicationConfig.define(new ConfigDef()
            .define(NODE_ID, INT, "1", atLeast(0), "This node's id, unique in the cluster.")
            .define(PROCESS_ROLES, LIST, "broker,controller", oneOf("broker", "controller"),
                    "Roles of this node: broker, controller, or broker,controller (combined).")
            .define(LISTENERS, LIST, "PLAINTEXT://localhost:9092", nonEmpty(),
                    "Comma-separated NAME://host:port the node binds for clients; an empty host binds every interface.")
            .define(ADVERTISED_LISTENERS, LIST, "", "What clients are told to connect to; defaults to listeners.")
            .define(LOG_DIRS, LIST, "./data", nonEmpty(), "Directories holding partition logs.")
            .define(NUM_PARTITIONS, INT, "1", atLeast(1), "Partitions of a topic created without a count.")
            .define(DEFAULT_REPLICATION_FACTOR, INT, "1", atLeast(1),
                    "Replication factor of a topic created without one.")
            .define(MESSAGE_MAX_BYTES, INT, "1048588", atLeast(0),
                    "Largest record batch accepted (topic override: max.message.bytes).")
            .define(LOG_SEGMENT_BYTES, INT, "1073741824", atLeast(14), "Segment size before rolling (segment.bytes).")
            .define(LOG_ROLL_MS, LONG, "604800000", atLeast(1), "Segment age before rolling (segment.ms).")
            .define(LOG_RETENTION_MS, LONG, "604800000", atLeast(-1),
                    "How long to keep segments; -1 keeps them forever (retention.ms).")
            .define(LOG_RETENTION_BYTES, LONG, "-1", atLeast(-1),
                    "Partition size above which the oldest segments are deleted; -1 for no limit (retention.bytes).")
            .define(LOG_RETENTION_CHECK_INTERVAL_MS, LONG, "300000", atLeast(1), "How often retention runs.")
            .define(LOG_INDEX_INTERVAL_BYTES, INT, "4096", atLeast(0),
                    "Bytes between offset-index entries (index.interval.bytes).")
            .define(LOG_INDEX_SIZE_MAX_BYTES, INT, "10485760", atLeast(4),
                    "Index file size; a full index rolls the segment (segment.index.bytes).")
            .define(LOG_SEGMENT_DELETE_DELAY_MS, LONG, "60000", atLeast(0),
                    "Delay between renaming a segment to .deleted and removing it (file.delete.delay.ms).")
            .define(LOG_FLUSH_ON_COMMIT, BOOLEAN, "true",
                    "true: acks=all answers and the high watermark wait for fsync (group commit), so acknowledged"
                            + " writes survive power loss. false: page cache only, as Kafka by default.")
            .define(LOG_FLUSH_INTERVAL_MESSAGES, LONG, String.valueOf(Long.MAX_VALUE), atLeast(1),
                    "Messages between forced fsyncs (flush.messages).")
            .define(LOG_FLUSH_INTERVAL_MS, LONG, String.valueOf(Long.MAX_VALUE), atLeast(0),
                    "Milliseconds between forced fsyncs (flush.ms).")
            .define(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, LONG, "60000", atLeast(1),
                    "How often recovery-point, high-watermark and log-start checkpoints are written.")
            .define(LOG_CLEANUP_POLICY, LIST, "delete", oneOf("delete", "compact"), "cleanup.policy default.")
            .define(LOG_MESSAGE_TIMESTAMP_TYPE, STRING, "CreateTime", oneOf("CreateTime", "LogAppendTime"),
                    "message.timestamp.type default.")
            .define(LOG_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, LONG, String.valueOf(Long.MAX_VALUE), atLeast(0),
                    "How far in the past a CreateTime timestamp may be.")
            .define(LOG_MESSAGE_TIMESTAMP_AFTER_MAX_MS, LONG, "3600000", atLeast(0),
                    "How far in the future a CreateTime timestamp may be.")
            .define(MIN_INSYNC_REPLICAS, INT, "1", atLeast(1), "min.insync.replicas default for acks=all.")
            .define(NUM_RECOVERY_THREADS_PER_DATA_DIR, INT, "1", atLeast(1), "Threads recovering logs at start-up.")
            .define(REQUEST_TIMEOUT_MS, INT, "30000", atLeast(1),
                    "Produce and DeleteRecords timeout when the request gives none.")
            .define(FETCH_MAX_BYTES, INT, "52428800", atLeast(1024), "Fetch response size when the request gives none."))
            .define(CONTROLLED_SHUTDOWN_TIMEOUT_MS, LONG, "30000", atLeast(0),
                    "How long shutdown waits for in-flight requests before closing.")
            .define(METADATA_LOG_DIR, STRING, "", "Directory of the Raft metadata log and quorum-state; "
                    + "empty means the first of log.dirs.")
            .define(QUORUM_ELECTION_TIMEOUT_MS, LONG, "1000", atLeast(1),
                    "Base Raft election timeout; each wait is randomized between it and twice it.")
            .define(QUORUM_FETCH_TIMEOUT_MS, LONG, "2000", atLeast(2),
                    "A metadata leader not fetched from by a majority for this long resigns (check-quorum).")
            .define(QUORUM_VOTERS, LIST, "", "The controllers, as id@host:port of their controller listener. Empty: "
                    + "this node alone is the quorum (a combined single node).")
            .define(SNAPSHOT_MAX_BYTES, LONG, "20971520", atLeast(1),
                    "Snapshot the metadata after this many bytes of metadata log entries; the log before a "
                            + "snapshot is deleted.")
            .define(SNAPSHOT_INTERVAL_MS, LONG, "3600000", atLeast(1),
                    "Or this long after the last snapshot, if the metadata changed.")
            .define(QUORUM_REQUEST_TIMEOUT_MS, LONG, "2000", atLeast(1),
                    "How long a broker waits for one controller to answer a registration or heartbeat before "
                            + "trying another.")
            .define(CONTROLLER_LISTENER_NAMES, LIST, "CONTROLLER", nonEmpty(),
                    "Names of the listeners that serve the Raft quorum and the controller API.")
            .define(BROKER_HEARTBEAT_INTERVAL_MS, LONG, "2000", atLeast(1),
                    "How often a broker heartbeats to the active controller.")
            .define(BROKER_SESSION_TIMEOUT_MS, LONG, "9000", atLeast(1),
                    "A broker without a heartbeat for this long is fenced and loses its leaderships.")
            .define(BROKER_RACK, STRING, "", "The broker's rack; replicas of a partition go to distinct racks.")
            .define(UNCLEAN_LEADER_ELECTION_ENABLE, BOOLEAN, "false", "Topic default for "
                    + "unclean.leader.election.enable: whether a partition none of whose in-sync replicas is alive "
                    + "gets an out-of-sync leader, losing the acknowledged records it lacks, rather than none.")
            .define(AUTO_LEADER_REBALANCE_ENABLE, BOOLEAN, "true", "Whether the active controller moves "
                    + "leaderships back to their preferred (first) replica when a broker leads too few of its own.")
            .define(LEADER_IMBALANCE_PER_BROKER_PERCENTAGE, INT, "10", between(0, 100), "The share (%) of the "
                    + "partitions a broker is preferred for that may be led elsewhere before leaderships move back.")
            .define(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, LONG, "300", atLeast(1),
                    "How often the active controller checks the leader imbalance.")));

    /** A {@code controller.quorum.voters} entry: id@host:port, or id@[ipv6]:port as in listeners. */
    private static final java.util.regex.Pattern VOTER =
            java.util.regex.Pattern.compile("^(\\d+)@(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d{1,5})$");

    /** Environment variables with this prefix override file keys: TRIBUTARY_LOG_DIRS sets log.dirs. */
    public static final String ENV_PREFIX = "TRIBUTARY_";
    /** Environment names the launcher uses for itself; never treated as configuration. */
    private static final List<String> LAUNCHER_ENV = List.of("TRIBUTARY_JAVA_OPTS", "TRIBUTARY_HOME", "TRIBUTARY_CLASSPATH");

    private final ParsedConfig values;
    private final java.util.Set<String> explicitKeys;

    public BrokerConfig(Map<String, String> raw) {
        this.values = new ParsedConfig(CONFIG_DEF, raw);
        this.explicitKeys = java.util.Set.copyOf(raw.keySet());
        validateCrossFieldRules();
    }

    /**
     * Reads a node's properties file.
     *
     * @throws IllegalArgumentException naming the file when it is missing or unreadable
     */
    public static Map<String, String> readProperties(Path file) {
        java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e, e);
        }
        Map<String, String> props = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> props.put(k, properties.getProperty(k)));
        return props;
    }

    /**
     * Merges file properties with environment overrides ({@code TRIBUTARY_<KEY_WITH_UNDERSCORES>}).
     * An environment variable with the prefix that names no key fails, like an unknown file key.
     */
    public static Map<String, String> withEnvironmentOverrides(Map<String, String> fileProps, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(fileProps);
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || LAUNCHER_ENV.contains(name)) {
                continue;
            }
            String key = name.substring(ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            if (!CONFIG_DEF.contains(key)) {
                throw new InvalidConfigurationException("environment variable " + name
                        + " names unknown configuration key '" + key + "'");
            }
            merged.put(key, e.getValue());
        }
        return merged;
    }

    private void validateCrossFieldRules() {
        GroupCoordinatorConfig.from(values);
        if (processRoles().isEmpty()) {
            throw new InvalidConfigurationException("configuration key '" + PROCESS_ROLES + "' is empty; use broker, "
                    + "controller or broker,controller");
        }
        for (String listener : values.getList(LISTENERS)) {
            Listener.parse(LISTENERS, listener);
        }
        for (String listener : values.getList(ADVERTISED_LISTENERS)) {
            Listener.parse(ADVERTISED_LISTENERS, listener);
        }
        Map<Integer, java.net.InetSocketAddress> voters = quorumVoters();
        if (voters.isEmpty() && !(isBroker() && isController())) {
            throw new InvalidConfigurationException("configuration key '" + QUORUM_VOTERS + "' is empty, which only a "
                    + "combined node (process.roles=broker,controller) may leave empty; got process.roles="
                    + processRoles());
        }
        if (!voters.isEmpty() && isController() != voters.containsKey(nodeId())) {
            throw new InvalidConfigurationException("configuration key '" + QUORUM_VOTERS + "' "
                    + values.getList(QUORUM_VOTERS) + (isController() ? " does not list" : " lists") + " node "
                    + nodeId() + ", which " + (isController() ? "has" : "does not have") + " the controller role");
        }
        if (!voters.isEmpty() && isController() && controllerListener().isEmpty()) {
            throw new InvalidConfigurationException("configuration key '" + LISTENERS + "' needs a listener named "
                    + "in " + CONTROLLER_LISTENER_NAMES + " " + values.getList(CONTROLLER_LISTENER_NAMES)
                    + " for the controller role, e.g. CONTROLLER://localhost:9093");
        }
        if (brokerSessionTimeoutMs() <= brokerHeartbeatIntervalMs()) {
            throw new InvalidConfigurationException("configuration key '" + BROKER_SESSION_TIMEOUT_MS + "' ("
                    + brokerSessionTimeoutMs() + ") must exceed " + BROKER_HEARTBEAT_INTERVAL_MS + " ("
                    + brokerHeartbeatIntervalMs() + "), or every broker is fenced between two heartbeats");
        }
        ReplicationConfig.from(values);
        if (isBroker() && brokerListeners().isEmpty()) {
            throw new InvalidConfigurationException("configuration key '" + LISTENERS + "' has no client listener "
                    + "(one not named in " + CONTROLLER_LISTENER_NAMES + ") for the broker role");
        }
    }

    public boolean isBroker() {
        return processRoles().contains("broker");
    }

    public boolean isController() {
        return processRoles().contains("controller");
    }

    /**
     * The voters and their controller-listener addresses, from {@code id@host:port} entries; empty
     * for a combined single node.
     *
     * @throws InvalidConfigurationException naming a malformed or repeated entry
     */
    public Map<Integer, java.net.InetSocketAddress> quorumVoters() {
        Map<Integer, java.net.InetSocketAddress> voters = new java.util.TreeMap<>();
        for (String entry : values.getList(QUORUM_VOTERS)) {
            java.util.regex.Matcher m = VOTER.matcher(entry.trim());
            if (!m.matches() || Integer.parseInt(m.group(3)) > 65535) {
                throw new InvalidConfigurationException("configuration key '" + QUORUM_VOTERS + "' has '" + entry
                        + "'; expected id@host:port, e.g. 1@localhost:9093");
            }
            int id = Integer.parseInt(m.group(1));
            String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
            if (voters.put(id, java.net.InetSocketAddress.createUnresolved(host, Integer.parseInt(m.group(3))))
                    != null) {
                throw new InvalidConfigurationException("configuration key '" + QUORUM_VOTERS + "' lists node " + id
                        + " twice");
            }
        }
        return voters;
    }

    /** The listener serving the quorum and the controller API, if any. */
    public java.util.Optional<Listener> controllerListener() {
        List<String> names = values.getList(CONTROLLER_LISTENER_NAMES);
        return listeners().stream().filter(l -> names.contains(l.name())).findFirst();
    }

    /** The listeners clients use (all but the controller ones). */
    public List<Listener> brokerListeners() {
        List<String> names = values.getList(CONTROLLER_LISTENER_NAMES);
        return listeners().stream().filter(l -> !names.contains(l.name())).toList();
    }

    public long snapshotMaxBytes() {
        return values.getLong(SNAPSHOT_MAX_BYTES);
    }

    public long snapshotIntervalMs() {
        return values.getLong(SNAPSHOT_INTERVAL_MS);
    }

    public long quorumRequestTimeoutMs() {
        return values.getLong(QUORUM_REQUEST_TIMEOUT_MS);
    }

    public long brokerHeartbeatIntervalMs() {
        return values.getLong(BROKER_HEARTBEAT_INTERVAL_MS);
    }

    public long brokerSessionTimeoutMs() {
        return values.getLong(BROKER_SESSION_TIMEOUT_MS);
    }

    public String rack() {
        return values.getString(BROKER_RACK);
    }

    public boolean autoLeaderRebalanceEnable() {
        return values.getBoolean(AUTO_LEADER_REBALANCE_ENABLE);
    }

    public int leaderImbalancePerBrokerPercentage() {
        return values.getInt(LEADER_IMBALANCE_PER_BROKER_PERCENTAGE);
    }

    public long leaderImbalanceCheckIntervalMs() {
        return TimeUnit.SECONDS.toMillis(values.getLong(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS));
    }

    public MetricsConfig metricsConfig() {
        return MetricsConfig.from(values);
    }

    public GroupCoordinatorConfig groupCoordinatorConfig() {
        return GroupCoordinatorConfig.from(values);
    }

    public ReplicationConfig replicationConfig() {
        return ReplicationConfig.from(values);
    }

    public int nodeId() {
        return values.getInt(NODE_ID);
    }

    public List<String> processRoles() {
        return values.getList(PROCESS_ROLES);
    }

    public List<Listener> listeners() {
        return values.getList(LISTENERS).stream().map(l -> Listener.parse(LISTENERS, l)).toList();
    }

    /** The advertised client endpoints, defaulting to the client listeners (an unbound host advertised as localhost). */
    public List<Listener> advertisedListeners() {
        List<String> advertised = values.getList(ADVERTISED_LISTENERS);
        if (advertised.isEmpty()) {
            return brokerListeners();
        }
        return advertised.stream().map(l -> Listener.parse(ADVERTISED_LISTENERS, l)).toList();
    }

    public List<Path> logDirs() {
        return values.getList(LOG_DIRS).stream().map(Path::of).toList();
    }

    /** Where the Raft metadata log and quorum-state live. */
    public Path metadataLogDir() {
        String dir = values.getString(METADATA_LOG_DIR);
        return dir.isEmpty() ? logDirs().get(0) : Path.of(dir);
    }

    public long quorumElectionTimeoutMs() {
        return values.getLong(QUORUM_ELECTION_TIMEOUT_MS);
    }

    public long quorumFetchTimeoutMs() {
        return values.getLong(QUORUM_FETCH_TIMEOUT_MS);
    }

    public int numPartitions() {
        return values.getInt(NUM_PARTITIONS);
    }

    public int defaultReplicationFactor() {
        return values.getInt(DEFAULT_REPLICATION_FACTOR);
    }

    public boolean flushOnCommit() {
        return values.getBoolean(LOG_FLUSH_ON_COMMIT);
    }

    public long retentionCheckIntervalMs() {
        return values.getLong(LOG_RETENTION_CHECK_INTERVAL_MS);
    }

    public long checkpointIntervalMs() {
        return values.getLong(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
    }

    public int recoveryThreadsPerDataDir() {
        return values.getInt(NUM_RECOVERY_THREADS_PER_DATA_DIR);
    }

    public int requestTimeoutMs() {
        return values.getInt(REQUEST_TIMEOUT_MS);
    }

    public int fetchMaxBytes() {
        return values.getInt(FETCH_MAX_BYTES);
    }

    public long shutdownTimeoutMs() {
        return values.getLong(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
    }

    /**
     * The topic-config defaults this node applies (Kafka topic-config names), derived from the
     * {@code log.*} broker keys and the few keys both levels share ({@code min.insync.replicas},
     * {@code unclean.leader.election.enable}) as {@link DynamicBrokerConfigs} maps them. Dynamic
     * broker configs and topic overrides are layered on top of these.
     */
    public Map<String, String> topicConfigDefaults() {
        Map<String, String> defaults = new HashMap<>();
        DynamicBrokerConfigs.TOPIC_KEY_BY_BROKER_KEY.forEach((brokerKey, topicKey) ->
                defaults.put(topicKey, str(brokerKey)));
        return defaults;
    }

    /** Every key's static value (server.properties, environment or built-in default) as text; null-valued keys left out. */
    public Map<String, String> staticValues() {
        Map<String, String> all = new java.util.TreeMap<>();
        for (ConfigDef.ConfigKey key : CONFIG_DEF.keys()) {
            if (values.get(key.name()) != null) {
                all.put(key.name(), str(key.name()));
            }
        }
        return all;
    }

    /** The keys set in server.properties or the environment (the others have their built-in default). */
    public java.util.Set<String> explicitlySetKeys() {
        return explicitKeys;
    }

    private String str(String key) {
        Object value = values.get(key);
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }
}
