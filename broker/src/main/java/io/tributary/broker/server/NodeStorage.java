package io.tributary.broker.server;

import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import io.tributary.storage.LogManager;
import io.tributary.storage.StorageFormat;
import io.tributary.storage.io.FileIo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's storage identity: every directory it uses (the log dirs of a broker, and the metadata
 * log dir) carries a meta.properties naming the cluster and the node, written by
 * {@code tributary storage format}. A node refuses to start on unformatted storage — except the
 * embedded default (no config file), which formats empty directories itself — and on directories of
 * another cluster or node. A broker also refuses to start when its metadata log is not where its
 * partition logs expect it.
 */
public final class NodeStorage {

    private static final Logger log = LoggerFactory.getLogger(NodeStorage.class);

    private NodeStorage() {
    }

    /** The directories the node's roles use. */
    public static List<Path> directories(BrokerConfig config) {
        List<Path> dirs = new ArrayList<>();
        if (config.isBroker()) {
            dirs.addAll(config.logDirs());
        }
        Path metadata = config.metadataLogDir();
        if (dirs.stream().noneMatch(d -> d.toAbsolutePath().normalize().equals(metadata.toAbsolutePath().normalize()))) {
            dirs.add(metadata);
        }
        return dirs;
    }

    /**
     * Formats every directory of the node for {@code clusterId}. Formatting again with the same id is
     * harmless; a directory of another cluster or node is refused.
     *
     * @throws InvalidConfigurationException naming the directory that belongs elsewhere
     */
    public static void format(BrokerConfig config, String clusterId) {
        format(config, clusterId, false);
    }

    /**
     * As {@link #format(BrokerConfig, String)}; with {@code rejoin}, a controller whose metadata was
     * lost is marked as catching up: it rejoins the quorum without voting or standing for election
     * until it has replicated what the quorum had committed (a wiped voter that voted at once could
     * help elect a leader that lacks committed metadata).
     *
     * @throws InvalidConfigurationException when {@code rejoin} is asked for a node that is no
     *     controller, or whose metadata log is not empty
     */
    public static void format(BrokerConfig config, String clusterId, boolean rejoin) {
        if (clusterId.isBlank()) {
            throw new InvalidConfigurationException("the cluster id must not be empty");
        }
        if (rejoin) {
            checkRejoinable(config);
        }
        for (Path dir : directories(config)) {
            StorageFormat.format(dir, clusterId, config.nodeId(), FileIo.system());
        }
        if (rejoin) {
            new FileQuorumStateStore(config.metadataLogDir()).write(ElectionState.rejoining());
            log.info("Node {} will rejoin the metadata quorum without voting until it has caught up", config.nodeId());
        }
    }

    private static void checkRejoinable(BrokerConfig config) {
        if (!config.isController()) {
            throw new InvalidConfigurationException("node " + config.nodeId() + " is not a controller: only a "
                    + "controller (a voter) rejoins");
        }
        Path metadata = config.metadataLogDir();
        if (Files.exists(metadata.resolve(FileQuorumStateStore.FILE_NAME))
                || Files.exists(metadata.resolve(LogManager.METADATA_LOG_DIR_NAME))) {
            throw new InvalidConfigurationException(metadata + " still holds metadata (quorum-state or "
                    + LogManager.METADATA_LOG_DIR_NAME + "): rejoining is for a controller whose metadata was lost");
        }
    }

    /**
     * The cluster id the node's storage was formatted with.
     *
     * @param formatIfEmpty format unformatted storage with a new cluster id (the embedded default)
     * @throws InvalidConfigurationException when no directory is formatted and formatIfEmpty is false
     */
    public static String clusterId(BrokerConfig config, boolean formatIfEmpty) {
        Optional<String> existing = LogManager.existingClusterId(directories(config), FileIo.system());
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!formatIfEmpty) {
            throw new InvalidConfigurationException("the storage of node " + config.nodeId() + " (" + directories(config)
                    + ") is not formatted; run: tributary storage format --cluster-id <id> --config <file> "
                    + "(tributary storage random-uuid makes an id)");
        }
        String fresh = newClusterId();
        log.info("Formatting empty storage {} for new cluster {}", directories(config), fresh);
        format(config, fresh);
        return fresh;
    }

    /**
     * Refuses to start when the metadata log is not where the partition logs expect it (metadata.log.dir
     * changed, log.dirs reordered): an empty image would make the node delete every partition log as
     * a stray.
     *
     * @throws IllegalStateException naming the directory to set {@code metadata.log.dir} back to, or
     *     the partition logs that would be lost
     */
    static void ensureMetadataLogWhereExpected(BrokerConfig config, LogManager logManager) {
        Path metadataDir = config.metadataLogDir().toAbsolutePath().normalize();
        for (Path logDir : config.logDirs()) {
            Path candidate = logDir.toAbsolutePath().normalize();
            if (!candidate.equals(metadataDir) && Files.exists(candidate.resolve(LogManager.METADATA_LOG_DIR_NAME))) {
                throw new IllegalStateException("log directory " + logDir + " holds a metadata log, but "
                        + BrokerConfig.METADATA_LOG_DIR + " is " + metadataDir + "; set it back to " + logDir);
            }
        }
        if (!Files.exists(metadataDir.resolve(LogManager.METADATA_LOG_DIR_NAME)) && !logManager.allLogs().isEmpty()) {
            throw new IllegalStateException("the log directories hold " + logManager.allLogs().size()
                    + " partition logs but there is no metadata log in " + metadataDir + " (check "
                    + BrokerConfig.METADATA_LOG_DIR + "); refusing to start rather than delete them");
        }
    }

    /** Kafka's cluster-id shape: a random UUID as 22 characters of URL-safe base64. */
    public static String newClusterId() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
