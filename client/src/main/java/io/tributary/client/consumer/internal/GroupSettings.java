package io.tributary.client.consumer.internal;

import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.Optional;

/**
 * The consumer's group settings, checked together (the checks one key's validator cannot make).
 *
 * @param groupId    group.id, empty when the consumer has none (then nothing else here applies)
 * @param instanceId group.instance.id, empty for a dynamic member
 * @param assignor   group.remote.assignor, empty for the group's choice
 */
public record GroupSettings(Optional<String> groupId, Optional<String> instanceId, boolean autoCommit,
                            int autoCommitIntervalMs, int sessionTimeoutMs, int heartbeatIntervalMs,
                            int maxPollIntervalMs, String assignor) {

    /** The protocol's limit on group and instance ids. */
    static final int MAX_ID_LENGTH = 255;

    /**
     * @throws InvalidConfigurationException naming the keys that do not fit together
     */
    public static GroupSettings from(ParsedConfig config) {
        Optional<String> groupId = id(config, ConsumerConfig.GROUP_ID_CONFIG);
        Optional<String> instanceId = id(config, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        Boolean autoCommitGiven = (Boolean) config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (groupId.isEmpty()) {
            if (instanceId.isPresent()) {
                throw new InvalidConfigurationException("configuration key 'group.instance.id' needs 'group.id'");
            }
            if (Boolean.TRUE.equals(autoCommitGiven)) {
                throw new InvalidConfigurationException("configuration key 'enable.auto.commit' cannot be true "
                        + "without 'group.id': offsets are committed to a group");
            }
        }
        int sessionTimeoutMs = config.getInt(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        int heartbeatIntervalMs = config.getInt(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new InvalidConfigurationException("configuration key 'heartbeat.interval.ms' (" + heartbeatIntervalMs
                    + ") must be lower than 'session.timeout.ms' (" + sessionTimeoutMs + ")");
        }
        String assignor = config.getString(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);
        if (assignor != null && assignor.isBlank()) {
            throw new InvalidConfigurationException("configuration key 'group.remote.assignor' must not be blank; "
                    + "leave it unset for the group's assignor");
        }
        return new GroupSettings(groupId, instanceId,
                autoCommitGiven == null ? groupId.isPresent() : autoCommitGiven,
                config.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG), sessionTimeoutMs, heartbeatIntervalMs,
                config.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), assignor == null ? "" : assignor);
    }

    private static Optional<String> id(ParsedConfig config, String key) {
        String value = config.getString(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
            throw new InvalidConfigurationException("configuration key '" + key + "' must be 1 to " + MAX_ID_LENGTH
                    + " characters and not blank, but was '" + value + "'");
        }
        return Optional.of(value);
    }
}
