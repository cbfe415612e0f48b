package io.tributary.storage;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ConfigDef.Type;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The per-topic log configuration, under Kafka's topic-config names (see {@link #CONFIG_DEF} for
 * keys, defaults and valid ranges). Immutable; every instance is validated at construction, whether
 * built from properties or directly, and a bad value fails with an
 * {@link InvalidConfigurationException} naming the key.
 *
 * @param segmentBytes roll the active segment before it would exceed this size
 * @param segmentMs roll the active segment when its first batch's max timestamp is this old
 * @param segmentIndexBytes preallocated size of each offset and time index
 * @param indexIntervalBytes bytes of batches between two sparse index entries
 * @param retentionMs delete segments whose newest timestamp is older than this; -1 = keep forever
 * @param retentionBytes delete old segments while the log is larger than this; -1 = no limit
 * @param fileDeleteDelayMs how long a deleted segment stays on disk as {@code .deleted}
 * @param flushMessages fsync once this many messages (offsets) are unflushed
 * @param flushMs fsync when the last fsync is this old
 * @param maxMessageBytes largest record batch accepted (checked by the broker)
 * @param messageTimestampType {@code CreateTime} or {@code LogAppendTime}
 * @param messageTimestampBeforeMaxMs how far in the past a CreateTime timestamp may be (broker check)
 * @param messageTimestampAfterMaxMs how far in the future a CreateTime timestamp may be (broker check)
 * @param cleanupPolicy {@code delete} and/or {@code compact}
 * @param minInsyncReplicas replicas that must acknowledge an acks=all write
 * @param uncleanLeaderElectionEnable whether an out-of-sync replica may become leader
 * @param deleteRetentionMs how long compaction keeps tombstones
 * @param minCleanableDirtyRatio dirty share of the log that makes it eligible for compaction
 */
public record LogConfig(int segmentBytes, long segmentMs, int segmentIndexBytes, int indexIntervalBytes,
        long retentionMs, long retentionBytes, long fileDeleteDelayMs, long flushMessages, long flushMs,
        int maxMessageBytes, String messageTimestampType, long messageTimestampBeforeMaxMs,
        long messageTimestampAfterMaxMs, List<String> cleanupPolicy, int minInsyncReplicas,
        boolean uncleanLeaderElectionEnable, long deleteRetentionMs, double minCleanableDirtyRatio) {

    public static final String SEGMENT_BYTES_CONFIG = "segment.bytes";
    public static final String SEGMENT_MS_CONFIG = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES_CONFIG = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES_CONFIG = "index.interval.bytes";
    public static final String RETENTION_MS_CONFIG = "retention.ms";
    public static final String RETENTION_BYTES_CONFIG = "retention.bytes";
    public static final String FILE_DELETE_DELAY_MS_CONFIG = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES_CONFIG = "flush.messages";
    public static final String FLUSH_MS_CONFIG = "flush.ms";
    public static final String MAX_MESSAGE_BYTES_CONFIG = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE_CONFIG = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG = "message.timestamp.after.max.ms";
    public static final String CLEANUP_POLICY_CONFIG = "cleanup.policy";
    public static final String MIN_IN_SYNC_REPLICAS_CONFIG = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG = "unclean.leader.election.enable";
    public static final String DELETE_RETENTION_MS_CONFIG = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO_CONFIG = "min.cleanable.dirty.ratio";

    public static final String CREATE_TIME = "CreateTime";
    public static final String LOG_APPEND_TIME = "LogAppendTime";
    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";

    /** Keys, types, defaults, validators and docs, in record-component order. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SEGMENT_BYTES_CONFIG, Type.INT, "1073741824", ConfigDef.atLeast(14),
                    "Maximum size of one segment file; the active segment rolls before it would exceed this.")
            .define(SEGMENT_MS_CONFIG, Type.LONG, "604800000", ConfigDef.atLeast(1),
                    "Roll the active segment once its first batch's timestamp is this many ms old.")
            .define(SEGMENT_INDEX_BYTES_CONFIG, Type.INT, "10485760", ConfigDef.atLeast(4),
                    "Preallocated size of each segment's offset index and time index.")
            .define(INDEX_INTERVAL_BYTES_CONFIG, Type.INT, "4096", ConfigDef.atLeast(0),
                    "Bytes of batches between two entries of the sparse offset and time indexes.")
            .define(RETENTION_MS_CONFIG, Type.LONG, "604800000", ConfigDef.atLeast(-1),
                    "Delete segments whose newest record timestamp is older than this; -1 keeps them forever.")
            .define(RETENTION_BYTES_CONFIG, Type.LONG, "-1", ConfigDef.atLeast(-1),
                    "Delete the oldest segments while the partition is larger than this; -1 means no limit.")
            .define(FILE_DELETE_DELAY_MS_CONFIG, Type.LONG, "60000", ConfigDef.atLeast(0),
                    "How long a deleted segment stays on disk (renamed .deleted) before its files are removed.")
            .define(FLUSH_MESSAGES_CONFIG, Type.LONG, Long.toString(Long.MAX_VALUE), ConfigDef.atLeast(1),
                    "fsync the log once this many messages are unflushed.")
            .define(FLUSH_MS_CONFIG, Type.LONG, Long.toString(Long.MAX_VALUE), ConfigDef.atLeast(0),
                    "fsync the log when the previous fsync is this many ms old.")
            .define(MAX_MESSAGE_BYTES_CONFIG, Type.INT, "1048588", ConfigDef.atLeast(0),
                    "Largest record batch the broker accepts for this topic.")
            .define(MESSAGE_TIMESTAMP_TYPE_CONFIG, Type.STRING, CREATE_TIME,
                    ConfigDef.oneOf(CREATE_TIME, LOG_APPEND_TIME),
                    "Whether record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime).")
            .define(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Type.LONG, Long.toString(Long.MAX_VALUE),
                    ConfigDef.atLeast(0), "How far in the past a CreateTime timestamp may be.")
            .define(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Type.LONG, "3600000", ConfigDef.atLeast(0),
                    "How far in the future a CreateTime timestamp may be.")
            .define(CLEANUP_POLICY_CONFIG, Type.LIST, CLEANUP_POLICY_DELETE,
                    nonEmptyOneOf(CLEANUP_POLICY_DELETE, CLEANUP_POLICY_COMPACT),
                    "delete (retention by time and size), compact (keep the latest value per key), or both.")
            .define(MIN_IN_SYNC_REPLICAS_CONFIG, Type.INT, "1", ConfigDef.atLeast(1),
                    "In-sync replicas that must have an acks=all write before it is acknowledged.")
            .define(UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Type.BOOLEAN, "false",
                    "Whether a replica outside the ISR may become leader, at the price of losing data.")
            .define(DELETE_RETENTION_MS_CONFIG, Type.LONG, "86400000", ConfigDef.atLeast(0),
                    "How long compaction keeps delete tombstones.")
            .define(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE, "0.5", ConfigDef.between(0, 1),
                    "Share of the log not yet compacted that makes it eligible for compaction.");

    private static final Map<String, ConfigDef.Validator> VALIDATORS = CONFIG_DEF.keys().stream()
            .filter(key -> key.validator() != null)
            .collect(Collectors.toUnmodifiableMap(ConfigDef.ConfigKey::name, ConfigDef.ConfigKey::validator));

    public LogConfig {
        cleanupPolicy = cleanupPolicy == null ? null : List.copyOf(cleanupPolicy);
        check(SEGMENT_BYTES_CONFIG, segmentBytes);
        check(SEGMENT_MS_CONFIG, segmentMs);
        check(SEGMENT_INDEX_BYTES_CONFIG, segmentIndexBytes);
        check(INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes);
        check(RETENTION_MS_CONFIG, retentionMs);
        check(RETENTION_BYTES_CONFIG, retentionBytes);
        check(FILE_DELETE_DELAY_MS_CONFIG, fileDeleteDelayMs);
        check(FLUSH_MESSAGES_CONFIG, flushMessages);
        check(FLUSH_MS_CONFIG, flushMs);
        check(MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes);
        check(MESSAGE_TIMESTAMP_TYPE_CONFIG, messageTimestampType);
        check(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, messageTimestampBeforeMaxMs);
        check(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, messageTimestampAfterMaxMs);
        check(CLEANUP_POLICY_CONFIG, cleanupPolicy);
        check(MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas);
        check(DELETE_RETENTION_MS_CONFIG, deleteRetentionMs);
        check(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, minCleanableDirtyRatio);
    }

    /**
     * Parses Kafka-style topic properties, filling in defaults.
     *
     * @throws InvalidConfigurationException naming the key of an unknown key or a bad value
     */
    public static LogConfig fromProperties(Map<String, String> props) {
        ParsedConfig c = new ParsedConfig(CONFIG_DEF, props);
        return new LogConfig(c.getInt(SEGMENT_BYTES_CONFIG), c.getLong(SEGMENT_MS_CONFIG),
                c.getInt(SEGMENT_INDEX_BYTES_CONFIG), c.getInt(INDEX_INTERVAL_BYTES_CONFIG),
                c.getLong(RETENTION_MS_CONFIG), c.getLong(RETENTION_BYTES_CONFIG),
                c.getLong(FILE_DELETE_DELAY_MS_CONFIG), c.getLong(FLUSH_MESSAGES_CONFIG), c.getLong(FLUSH_MS_CONFIG),
                c.getInt(MAX_MESSAGE_BYTES_CONFIG), c.getString(MESSAGE_TIMESTAMP_TYPE_CONFIG),
                c.getLong(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG), c.getLong(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG),
                c.getList(CLEANUP_POLICY_CONFIG), c.getInt(MIN_IN_SYNC_REPLICAS_CONFIG),
                c.getBoolean(UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG), c.getLong(DELETE_RETENTION_MS_CONFIG),
                c.getDouble(MIN_CLEANABLE_DIRTY_RATIO_CONFIG));
    }

    /** Every key at its default value. */
    public static LogConfig defaults() {
        return fromProperties(Map.of());
    }

    /** This configuration with some keys replaced; e.g. broker defaults plus a topic's overrides. */
    public LogConfig withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = toProperties();
        merged.putAll(overrides);
        return fromProperties(merged);
    }

    /** Every key with its value as text; {@code fromProperties(c.toProperties()).equals(c)}. */
    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(SEGMENT_BYTES_CONFIG, Integer.toString(segmentBytes));
        props.put(SEGMENT_MS_CONFIG, Long.toString(segmentMs));
        props.put(SEGMENT_INDEX_BYTES_CONFIG, Integer.toString(segmentIndexBytes));
        props.put(INDEX_INTERVAL_BYTES_CONFIG, Integer.toString(indexIntervalBytes));
        props.put(RETENTION_MS_CONFIG, Long.toString(retentionMs));
        props.put(RETENTION_BYTES_CONFIG, Long.toString(retentionBytes));
        props.put(FILE_DELETE_DELAY_MS_CONFIG, Long.toString(fileDeleteDelayMs));
        props.put(FLUSH_MESSAGES_CONFIG, Long.toString(flushMessages));
        props.put(FLUSH_MS_CONFIG, Long.toString(flushMs));
        props.put(MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        props.put(MESSAGE_TIMESTAMP_TYPE_CONFIG, messageTimestampType);
        props.put(MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.toString(messageTimestampBeforeMaxMs));
        props.put(MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.toString(messageTimestampAfterMaxMs));
        props.put(CLEANUP_POLICY_CONFIG, String.join(",", cleanupPolicy));
        props.put(MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        props.put(UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Boolean.toString(uncleanLeaderElectionEnable));
        props.put(DELETE_RETENTION_MS_CONFIG, Long.toString(deleteRetentionMs));
        props.put(MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Double.toString(minCleanableDirtyRatio));
        return props;
    }

    /** Whether compaction applies ({@code cleanup.policy} contains {@code compact}). */
    public boolean compacted() {
        return cleanupPolicy.contains(CLEANUP_POLICY_COMPACT);
    }

    /** Whether retention by time and size applies ({@code cleanup.policy} contains {@code delete}). */
    public boolean deleteRetention() {
        return cleanupPolicy.contains(CLEANUP_POLICY_DELETE);
    }

    private static void check(String key, Object value) {
        if (value == null) {
            throw new InvalidConfigurationException("configuration key '" + key + "' must not be null");
        }
        ConfigDef.Validator validator = VALIDATORS.get(key);
        if (validator != null) {
            validator.ensureValid(key, value);
        }
    }

    private static ConfigDef.Validator nonEmptyOneOf(String... allowed) {
        ConfigDef.Validator nonEmpty = ConfigDef.nonEmpty();
        ConfigDef.Validator oneOf = ConfigDef.oneOf(allowed);
        return (name, value) -> {
            nonEmpty.ensureValid(name, value);
            oneOf.ensureValid(name, value);
        };
    }
}
