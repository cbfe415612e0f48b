package io.tributary.storage;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.LogTasks;
import io.tributary.storage.internal.checkpoint.AtomicFile;
import io.tributary.storage.internal.checkpoint.LogDirCheckpoints;
import io.tributary.storage.internal.checkpoint.MetaProperties;
import io.tributary.storage.internal.checkpoint.PartitionMetadataFile;
import io.tributary.storage.io.FileIo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs of a node, spread over one or more log directories (DESIGN.md §3).
 *
 * <p><b>Layout of a log directory.</b> {@code meta.properties} (cluster id, node id, directory id),
 * the three checkpoint files ({@code recovery-point-offset-checkpoint},
 * {@code replication-offset-checkpoint}, {@code log-start-offset-checkpoint}), the clean-shutdown
 * marker {@value #CLEAN_SHUTDOWN_FILE}, and one {@code <topic>-<partition>} directory per log.
 * Deleted logs are renamed {@code <topic>-<partition>.<id>-delete} and removed asynchronously.
 *
 * <p><b>Lifecycle.</b> {@link #startup()} validates or creates {@code meta.properties}, loads every log
 * (in parallel; after an unclean shutdown, recovering from the checkpointed recovery points), removes
 * the marker and starts the background tasks on the injected scheduler: retention every
 * {@code log.retention.check.interval.ms}, {@code flush.ms} checks every
 * {@code log.flush.scheduler.interval.ms}, checkpoints every {@code log.flush.offset.checkpoint.interval.ms}.
 * {@link #shutdown()} flushes every log, writes the checkpoints, closes the logs and then writes the
 * marker, so the next startup skips recovery. The scheduler belongs to the caller and is not closed.
 *
 * <p><b>Failures.</b> An I/O error takes its log directory offline (see {@link Log}); listeners
 * registered with {@link #addLogDirFailureListener} are told once. The manager keeps running on the
 * other directories; startup fails only when none is usable, or loudly on a corrupt high-watermark,
 * log-start-offset, leader-epoch or metadata file ({@link CorruptCheckpointException}) or on a
 * {@code meta.properties} of another cluster or node ({@link InvalidConfigurationException}).
 *
 * <p>Thread-safe. Creation, deletion, checkpoints and the lifecycle are serialised by one lock.
 */
public final class LogManager implements Closeable {

    /** Present in a log directory only between a clean shutdown and the next startup. */
    public static final String CLEAN_SHUTDOWN_FILE = ".tributary_cleanshutdown";
    static final String DELETE_DIR_SUFFIX = "-delete";
    /**
     * The Raft metadata log may live in a log directory, but the metadata quorum opens and owns it:
     * the log manager must never load (or delete) it.
     */
    public static final String METADATA_LOG_DIR_NAME = "__cluster_metadata-0";

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final List<Path> logDirs;
    private final LogConfig defaultConfig;
    private final Function<TopicPartition, Optional<LogConfig>> configOverrides;
    private final Time time;
    private final Scheduler scheduler;
    private final FileIo io;
    private final LogManagerConfig managerConfig;
    private final LogDirFiles dirFiles;
    private final Map<Path, LogDirHealth> healthByDir = new LinkedHashMap<>();
    private final Map<TopicPartition, Log> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> topicIds = new ConcurrentHashMap<>();
    private final List<Consumer<Path>> failureListeners = new CopyOnWriteArrayList<>();
    private final List<Scheduler.Cancellable> backgroundTasks = new ArrayList<>();
    private final Object lock = new Object();
    private boolean started;
    private boolean shutDown;
    private volatile boolean hadCleanShutdown;

    /**
     * @param logDirs the log directories (created if missing)
     * @param defaultConfig the configuration of logs found on disk that have no override
     * @param configOverrides a topic's configuration when it differs from the default
     */
    public LogManager(List<Path> logDirs, LogConfig defaultConfig,
            Function<TopicPartition, Optional<LogConfig>> configOverrides, Time time, Scheduler scheduler,
            FileIo io, LogManagerConfig managerConfig) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one log directory is required");
        }
        this.logDirs = logDirs.stream().map(dir -> dir.toAbsolutePath().normalize()).distinct().toList();
        if (this.logDirs.size() != logDirs.size()) {
            throw new IllegalArgumentException("log directories are listed twice: " + logDirs);
        }
        this.defaultConfig = Objects.requireNonNull(defaultConfig, "defaultConfig");
        this.configOverrides = Objects.requireNonNull(configOverrides, "configOverrides");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.io = Objects.requireNonNull(io, "io");
        this.dirFiles = new LogDirFiles(io);
        this.managerConfig = Objects.requireNonNull(managerConfig, "managerConfig");
        for (Path dir : this.logDirs) {
            healthByDir.put(dir, new LogDirHealth(dir, failed -> failureListeners.forEach(l -> l.accept(failed))));
        }
    }

    /** Registers a callback told (once per directory) when a log directory goes offline. */
    public void addLogDirFailureListener(Consumer<Path> listener) {
        failureListeners.add(Objects.requireNonNull(listener));
    }

    /** The log directories, absolute and normalised. */
    public List<Path> logDirs() {
        return logDirs;
    }

    /** The log directories that are offline after an I/O failure. */
    public Set<Path> offlineLogDirs() {
        Set<Path> offline = new HashSet<>();
        healthByDir.forEach((dir, health) -> {
            if (!health.isOnline()) {
                offline.add(dir);
            }
        });
        return offline;
    }

    /**
     * Loads every log. Call once, then {@link #startBackgroundTasks()} once the logs carry their real
     * configs: until then a log found on disk has the default config (or its override, when the
     * override function already knows it), and retention must not judge it by the wrong one.
     *
     * @throws StorageException when no log directory can be used
     * @throws CorruptCheckpointException when a checkpoint that cannot safely be guessed is corrupt
     * @throws InvalidConfigurationException when a meta.properties belongs to another cluster or node
     */
    public void startup() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("log manager already started");
            }
            started = true;
            try {
                loadAll();
            } catch (RuntimeException e) {
                // A failed startup loaded nothing trustworthy: close what was opened and never write markers.
                closeAllQuietly();
                shutDown = true;
                throw e;
            }
            dirFiles.writeCheckpoints(healthByDir, logs.values());
            LOG.info("Log manager started with {} logs in {} directories after a{} shutdown", logs.size(),
                    logDirs.size(), hadCleanShutdown ? " clean" : "n unclean");
        }
    }

    /** Whether every log directory had the clean-shutdown marker at startup. */
    public boolean hadCleanShutdown() {
        return hadCleanShutdown;
    }

    /**
     * The log of {@code tp}, created empty (in the online directory with the fewest logs, with a
     * {@code partition.metadata} naming {@code topicId}) when it does not exist.
     *
     * @throws IllegalStateException when the existing log belongs to another topic id
     * @throws StorageException when no directory is online or creation fails
     */
    public Log getOrCreateLog(TopicPartition tp, String topicId, LogConfig config) {
        synchronized (lock) {
            if (!started || shutDown) {
                throw new IllegalStateException("cannot create log " + tp + ": the log manager is not running");
            }
            Log existing = logs.get(tp);
            if (existing != null) {
                String knownId = topicIds.get(tp);
                if (knownId != null && !knownId.equals(topicId)) {
                    throw new IllegalStateException("log " + existing.dir() + " belongs to topic id " + knownId
                            + ", not " + topicId);
                }
                return existing;
            }
            LogDirHealth target = leastLoadedOnlineDir();
            Path partitionDir = target.dir().resolve(tp.toString());
            try {
                io.createDirectories(partitionDir);
                io.fsyncDirectory(target.dir());
                new PartitionMetadataFile(io, partitionDir).write(topicId);
            } catch (IOException e) {
                throw target.markOffline("creating log " + partitionDir, e);
            }
            Log log = newLogBuilder(partitionDir, config, target).build();
            logs.put(tp, log);
            topicIds.put(tp, topicId);
            LOG.info("Created log for {} (topic id {}) in {}", tp, topicId, target.dir());
            return log;
        }
    }

    /** The topic id recorded for a log (its partition.metadata), if the log exists. */
    public Optional<String> topicId(TopicPartition tp) {
        return Optional.ofNullable(topicIds.get(tp));
    }

    /** The cluster id this manager records in and checks against every directory's meta.properties. */
    public String clusterId() {
        return managerConfig.clusterId();
    }

    /**
     * The cluster id already recorded in {@code logDirs} (the first directory with a meta.properties),
     * so a node can start again on formatted directories without being told its cluster id.
     *
     * @throws CorruptCheckpointException when a meta.properties is malformed
     * @throws StorageException when a directory cannot be read
     */
    public static Optional<String> existingClusterId(List<Path> logDirs, FileIo io) {
        return LogDirFiles.existingClusterId(logDirs, io);
    }

    public Optional<Log> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    /** The logs (including those in offline directories, whose operations fail). */
    public Collection<Log> allLogs() {
        return List.copyOf(logs.values());
    }

    /**
     * Removes the log: closes it, renames its directory to {@code <tp>.<id>-delete} (durably) and
     * deletes the files {@code file.delete.delay.ms} later. Does nothing for an unknown partition.
     */
    public void deleteLog(TopicPartition tp) {
        synchronized (lock) {
            Log log = logs.remove(tp);
            topicIds.remove(tp);
            if (log == null) {
                return;
            }
            LogDirHealth health = healthOf(log);
            log.close();
            Path renamed = log.dir().resolveSibling(tp + "." + UUID.randomUUID().toString().replace("-", "")
                    + DELETE_DIR_SUFFIX);
            try {
                io.move(log.dir(), renamed);
                io.fsyncDirectory(renamed.getParent());
            } catch (IOException e) {
                throw health.markOffline("deleting log " + log.dir(), e);
            }
            LOG.info("Deleted log {}: directory renamed to {}, files removed in {} ms", tp, renamed.getFileName(),
                    log.config().fileDeleteDelayMs());
            scheduleDirDeletion(renamed, health, log.config().fileDeleteDelayMs());
            // A log recreated under the same name must not inherit this one's recovery point or
            // high watermark from a stale checkpoint after a crash.
            dirFiles.writeCheckpoints(healthByDir, logs.values());
        }
    }

    /**
     * Writes the recovery-point, high-watermark and log-start-offset checkpoints of every online
     * directory, each atomically (temp file, fsync, rename, directory fsync). A failure takes that
     * directory offline (see {@link Log#isOnline}: this method does not throw for it).
     *
     * @throws StorageException when the log manager is not running (not started, or shut down): a
     *     caller making an offset durable must not take the silence for a written checkpoint
     */
    public void checkpoint() {
        synchronized (lock) {
            if (!started || shutDown) {
                throw new StorageException("the checkpoints cannot be written: the log manager is "
                        + (shutDown ? "shut down" : "not started"));
            }
            dirFiles.writeCheckpoints(healthByDir, logs.values());
        }
    }

    /**
     * Writes only the log-start-offset checkpoint, and only of the directories holding
     * {@code partitions} (each still lists every log of its directory): what a DeleteRecords needs
     * made durable. Partitions this manager does not hold are ignored. A failure takes that
     * directory offline, as {@link #checkpoint()} does.
     *
     * @throws StorageException when the log manager is not running (not started, or shut down)
     */
    public void checkpointLogStartOffsets(Collection<TopicPartition> partitions) {
        synchronized (lock) {
            if (!started || shutDown) {
                throw new StorageException("the log-start-offset checkpoints cannot be written: the log manager is "
                        + (shutDown ? "shut down" : "not started"));
            }
            dirFiles.writeLogStartOffsetCheckpoints(healthByDir, partitions, logs);
        }
    }

    /** Flushes every log, writes the checkpoints, closes the logs, writes the clean-shutdown markers. Idempotent. */
    public void shutdown() {
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            backgroundTasks.forEach(Scheduler.Cancellable::cancel);
            if (!started) {
                return;
            }
            for (Log log : logs.values()) {
                if (log.isOnline()) {
                    try {
                        log.flush();
                    } catch (StorageException e) {
                        LOG.error("Flush of {} failed during shutdown: {}", log.topicPartition(), e.getMessage());
                    }
                }
            }
            dirFiles.writeCheckpoints(healthByDir, logs.values());
            closeAllQuietly();
            for (Map.Entry<Path, LogDirHealth> entry : healthByDir.entrySet()) {
                dirFiles.writeCleanShutdownMarker(entry.getKey(), entry.getValue());
            }
            LOG.info("Log manager shut down; offline directories: {}", offlineLogDirs());
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    private void loadAll() {
        Set<String> directoryIds = new HashSet<>();
        boolean allClean = true;
        for (Path dir : logDirs) {
            LogDirHealth health = healthByDir.get(dir);
            try {
                allClean &= loadLogDir(dir, health, directoryIds);
            } catch (IOException e) {
                health.markOffline("loading log directory " + dir, e);
            } catch (CorruptCheckpointException | InvalidConfigurationException e) {
                throw e;
            } catch (StorageException e) {
                LOG.error("Log directory {} could not be loaded: {}", dir, e.getMessage());
            }
        }
        if (offlineLogDirs().size() == logDirs.size()) {
            throw new StorageException("no log directory is online: " + logDirs);
        }
        hadCleanShutdown = allClean;
    }

    private boolean loadLogDir(Path dir, LogDirHealth health, Set<String> directoryIds) throws IOException {
        io.createDirectories(dir);
        MetaProperties.ensure(io, dir, managerConfig.clusterId(), managerConfig.nodeId(), directoryIds);
        boolean clean = dirFiles.hasCleanShutdownMarker(dir);
        LogDirCheckpoints checkpoints = new LogDirCheckpoints(io, dir);
        Map<TopicPartition, Long> recoveryPoints = checkpoints.readRecoveryPoints();
        Map<TopicPartition, Long> highWatermarks = checkpoints.readHighWatermarks();
        Map<TopicPartition, Long> logStartOffsets = checkpoints.readLogStartOffsets();
        List<Callable<Log>> loaders = new ArrayList<>();
        for (Path child : io.list(dir)) {
            String name = child.getFileName().toString();
            if (!io.isDirectory(child)) {
                if (name.endsWith(AtomicFile.TMP_SUFFIX)) {
                    io.deleteIfExists(child);
                }
            } else if (name.endsWith(DELETE_DIR_SUFFIX)) {
                scheduleDirDeletion(child, health, 0);
            } else if (name.equals(METADATA_LOG_DIR_NAME)) {
                LOG.debug("Skipping {}: the metadata quorum owns it", child);
            } else {
                Optional<TopicPartition> tp = parsePartitionDir(name);
                if (tp.isEmpty()) {
                    LOG.warn("Ignoring {}: not a <topic>-<partition> directory", child);
                    continue;
                }
                LogConfig config = configOverrides.apply(tp.get()).orElse(defaultConfig);
                TopicPartition partition = tp.get();
                loaders.add(() -> loadLog(child, partition, config, health, clean,
                        recoveryPoints.getOrDefault(partition, 0L), highWatermarks.getOrDefault(partition, 0L),
                        logStartOffsets.getOrDefault(partition, -1L)));
            }
        }
        register(LogTasks.loadInParallel(dir, managerConfig.recoveryThreadsPerDataDir(), loaders));
        if (clean) {
            dirFiles.removeCleanShutdownMarker(dir);
        }
        return clean;
    }

    private Log loadLog(Path partitionDir, TopicPartition tp, LogConfig config, LogDirHealth health, boolean clean,
            long recoveryPoint, long highWatermark, long logStartOffset) throws IOException {
        new PartitionMetadataFile(io, partitionDir).read().ifPresent(id -> topicIds.put(tp, id));
        return newLogBuilder(partitionDir, config, health).hadCleanShutdown(clean).recoveryPoint(recoveryPoint)
                .highWatermark(highWatermark).logStartOffset(logStartOffset).build();
    }

    private void register(List<Log> loaded) {
        for (Log log : loaded) {
            Log previous = logs.putIfAbsent(log.topicPartition(), log);
            if (previous != null) {
                loaded.forEach(LogTasks::closeQuietly);
                throw new IllegalStateException("partition " + log.topicPartition() + " has a log in both "
                        + previous.dir() + " and " + log.dir());
            }
        }
    }

    private LogBuilder newLogBuilder(Path partitionDir, LogConfig config, LogDirHealth health) {
        return Log.builder(partitionDir).config(config).time(time).scheduler(scheduler).fileIo(io).dirHealth(health);
    }

    private LogDirHealth leastLoadedOnlineDir() {
        Map<Path, Integer> counts = new HashMap<>();
        for (Log log : logs.values()) {
            counts.merge(log.dir().getParent(), 1, Integer::sum);
        }
        LogDirHealth best = null;
        for (LogDirHealth health : healthByDir.values()) {
            if (health.isOnline() && (best == null
                    || counts.getOrDefault(health.dir(), 0) < counts.getOrDefault(best.dir(), 0))) {
                best = health;
            }
        }
        if (best == null) {
            throw new StorageException("no log directory is online: " + logDirs);
        }
        return best;
    }

    private LogDirHealth healthOf(Log log) {
        return healthByDir.get(log.dir().getParent());
    }

    /**
     * Starts retention (every {@code log.retention.check.interval.ms}), {@code flush.ms} checks and
     * checkpoints on the scheduler. Call once, after {@link #startup()}.
     */
    public void startBackgroundTasks() {
        synchronized (lock) {
            if (!started || shutDown) {
                throw new IllegalStateException("background tasks need a started, running log manager");
            }
            if (!backgroundTasks.isEmpty()) {
                throw new IllegalStateException("background tasks already started");
            }
            scheduleBackgroundTasks();
        }
    }

    private void scheduleBackgroundTasks() {
        long retentionMs = managerConfig.retentionCheckIntervalMs();
        long flushMs = managerConfig.flushCheckIntervalMs();
        long checkpointMs = managerConfig.checkpointIntervalMs();
        backgroundTasks.add(
                scheduler.schedulePeriodically("log-retention", () -> LogTasks.runRetention(allLogs()), retentionMs,
                        retentionMs));
        backgroundTasks.add(scheduler.schedulePeriodically("log-flush",
                () -> LogTasks.flushDueLogs(allLogs(), time.milliseconds()), flushMs, flushMs));
        backgroundTasks.add(
                scheduler.schedulePeriodically("log-checkpoint", this::checkpoint, checkpointMs, checkpointMs));
    }

    private void scheduleDirDeletion(Path dir, LogDirHealth health, long delayMs) {
        scheduler.schedule("delete " + dir, () -> {
            try {
                LogTasks.deleteRecursively(io, dir);
            } catch (IOException e) {
                health.markOffline("deleting " + dir, e);
            }
        }, delayMs);
    }

    private void closeAllQuietly() {
        logs.values().forEach(LogTasks::closeQuietly);
    }

    private static Optional<TopicPartition> parsePartitionDir(String name) {
        try {
            return Optional.of(TopicPartition.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
