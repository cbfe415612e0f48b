package io.tributary.tools;

import io.tributary.quorum.inspect.MetadataLogDump;
import io.tributary.quorum.inspect.MetadataSnapshotDump;
import io.tributary.quorum.inspect.QuorumStateDump;
import io.tributary.storage.inspect.CheckpointDump;
import io.tributary.storage.inspect.IndexDump;
import io.tributary.storage.inspect.SegmentDump;
import io.tributary.tools.DumpLogFormats.Dumped;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.OutputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tributary dump-log}: prints what a node's files hold, as Kafka's {@code kafka-dump-log.sh}.
 * Offline: it reads files (of a stopped or a running node) and never talks to a cluster. The kind of
 * each file comes from its name. Every file is dumped even when an earlier one has a problem, is
 * missing or is of an unknown kind; the command then exits 1, naming the files with problems.
 */
@Command(name = "dump-log", sortOptions = false,
        description = {"Prints the content of a node's data files: log segments (.log), offset and time indexes "
            + "(.index, .timeindex), checkpoints (leader-epoch-checkpoint, recovery-point-offset-checkpoint, "
            + "replication-offset-checkpoint, log-start-offset-checkpoint, meta.properties, partition.metadata), "
            + "and the metadata quorum's files (segments of __cluster_metadata-0, snapshots <offset>-<epoch>.checkpoint, "
            + "quorum-state). Reads files only; exits 1 when a file is damaged."})
final class DumpLogCommand implements Callable<Integer> {

    /** What a file is, from its name. */
    enum Kind {
        SEGMENT, METADATA_LOG, OFFSET_INDEX, TIME_INDEX, METADATA_SNAPSHOT, LEADER_EPOCHS, OFFSETS, META_PROPERTIES,
        PARTITION_METADATA, QUORUM_STATE
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--files", required = true, split = ",", paramLabel = "FILE[,FILE...]",
            description = "The files to dump, comma-separated.")
    List<Path> files;

    @Option(names = "--print-data-log", description = "Print record keys and values, and decoded metadata records "
            + "(implies --deep-iteration).")
    boolean printData;

    @Option(names = "--deep-iteration", description = "Decode every record of every batch, not only batch headers.")
    boolean deep;

    @Option(names = "--verify-index-only", description = "For indexes: check every entry against the segment next "
            + "to it, printing only mismatches.")
    boolean verifyIndexOnly;

    @Option(names = "--index-sanity-check", description = "For indexes: only run the sanity check a node runs at "
            + "start-up.")
    boolean indexSanityCheck;

    @Option(names = "--max-bytes", paramLabel = "BYTES", defaultValue = "2147483647",
            description = "Read segments only this far (the batch crossing the limit is read whole). Default: "
                + "${DEFAULT-VALUE}.")
    long maxBytes;

    @Option(names = "--cluster-metadata-decoder", description = "Read the .log files as metadata log segments even "
            + "outside a __cluster_metadata-0 directory.")
    boolean clusterMetadataDecoder;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "Text in kafka-dump-log's shape (the default), or one line of JSON per file.")
    String output;

    @Override
    public Integer call() {
        OutputFormat.isJson(output, spec.commandLine());
        if (maxBytes < 1) {
            throw new ParameterException(spec.commandLine(), "--max-bytes must be at least 1; got " + maxBytes);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> refused = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Path file : files) {
            Dumped dumped;
            try {
                dumped = dumpOrExplain(file, kindOf(file));
            } catch (CommandException e) {
                refused.add(e.getMessage());
                dumped = new Dumped(List.of(e.getMessage()), Json.object("file", file.toString(), "error",
                        e.getMessage()), false);
            }
            if (output.equals("json")) {
                out.println(Json.write(dumped.json()));
            } else {
                out.println("Dumping " + file);
                dumped.lines().forEach(out::println);
            }
            if (dumped.failed()) {
                failed.add(file.toString());
            }
        }
        out.flush();
        if (!failed.isEmpty()) {
            refused.add("found problems in " + String.join(", ", failed));
        }
        if (!refused.isEmpty()) {
            throw new CommandException(String.join("; ", refused));
        }
        return 0;
    }

    /**
     * The kind of a file that exists, by its name.
     *
     * @throws CommandException naming the file when it does not exist or its kind is unknown
     */
    Kind kindOf(Path file) {
        if (!Files.exists(file)) {
            throw new CommandException(file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandException(file + " is not a regular file");
        }
        String name = file.getFileName().toString();
        Path parent = file.toAbsolutePath().getParent();
        boolean inMetadataLog = parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals(MetadataLogDump.DIRECTORY_NAME);
        if (name.endsWith(SegmentDump.LOG_SUFFIX)) {
            return inMetadataLog || clusterMetadataDecoder ? Kind.METADATA_LOG : Kind.SEGMENT;
        }
        if (name.endsWith(IndexDump.INDEX_SUFFIX)) {
            return Kind.OFFSET_INDEX;
        }
        if (name.endsWith(IndexDump.TIME_INDEX_SUFFIX)) {
            return Kind.TIME_INDEX;
        }
        if (name.endsWith(MetadataSnapshotDump.FILE_SUFFIX)) {
            return Kind.METADATA_SNAPSHOT;
        }
        if (CheckpointDump.OFFSET_CHECKPOINTS.contains(name)) {
            return Kind.OFFSETS;
        }
        return switch (name) {
            case CheckpointDump.LEADER_EPOCH_CHECKPOINT -> Kind.LEADER_EPOCHS;
            case CheckpointDump.META_PROPERTIES -> Kind.META_PROPERTIES;
            case CheckpointDump.PARTITION_METADATA -> Kind.PARTITION_METADATA;
            case QuorumStateDump.FILE_NAME -> Kind.QUORUM_STATE;
            default -> throw new CommandException(file + ": unknown file kind; dump-log reads log segments (.log), "
                    + "indexes (.index, .timeindex), metadata snapshots (.checkpoint), leader-epoch-checkpoint, "
                    + String.join(", ", CheckpointDump.OFFSET_CHECKPOINTS.stream().sorted().toList()) + ", "
                    + CheckpointDump.META_PROPERTIES + ", " + CheckpointDump.PARTITION_METADATA + " and "
                    + QuorumStateDump.FILE_NAME);
        };
    }

    /** The file's dump, or, when it cannot be read, a dump saying why. */
    private Dumped dumpOrExplain(Path file, Kind kind) {
        try {
            return dump(file, kind);
        } catch (NoSuchFileException e) {
            return unreadable(file, kind, file + " does not exist");
        } catch (IOException | RuntimeException e) {
            return unreadable(file, kind, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Dumped unreadable(Path file, Kind kind, String problem) {
        return new Dumped(List.of("Cannot read " + file + ": " + problem),
                Json.object("file", file.toString(), "kind", kindName(kind), "error", problem), true);
    }

    private Dumped dump(Path file, Kind kind) throws IOException {
        boolean decode = deep || printData;
        return switch (kind) {
            case SEGMENT -> DumpLogFormats.segment(SegmentDump.read(file, decode, maxBytes), printData);
            case METADATA_LOG -> DumpLogFormats.metadataLog(MetadataLogDump.read(file, decode, maxBytes), decode,
                    printData);
            case METADATA_SNAPSHOT -> DumpLogFormats.metadataSnapshot(MetadataSnapshotDump.read(file, decode),
                    printData);
            case OFFSET_INDEX -> DumpLogFormats.offsetIndex(IndexDump.offsetIndex(file), indexMode());
            case TIME_INDEX -> DumpLogFormats.timeIndex(IndexDump.timeIndex(file), indexMode());
            case LEADER_EPOCHS -> DumpLogCheckpointFormats.leaderEpochs(file, CheckpointDump.leaderEpochs(file));
            case OFFSETS -> DumpLogCheckpointFormats.offsets(file, CheckpointDump.offsets(file));
            case META_PROPERTIES -> DumpLogCheckpointFormats.metaProperties(file, CheckpointDump.metaProperties(file));
            case PARTITION_METADATA -> DumpLogCheckpointFormats.topicId(file, CheckpointDump.topicId(file));
            case QUORUM_STATE -> DumpLogCheckpointFormats.quorumState(file, QuorumStateDump.read(file));
        };
    }

    private DumpLogFormats.IndexMode indexMode() {
        if (indexSanityCheck) {
            return DumpLogFormats.IndexMode.SANITY_CHECK;
        }
        return verifyIndexOnly ? DumpLogFormats.IndexMode.VERIFY_ONLY : DumpLogFormats.IndexMode.ENTRIES;
    }

    static String kindName(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
