package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tributary.broker.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary dump-log} on the files of a real node: three records produced one batch each
 * (keys k0..k2), an index entry per batch after the first, metadata snapshots after every change;
 * then the node is stopped and its files dumped.
 */
@Tag("integration")
class DumpLogIntegrationTest {

    private static final String TOPIC = "dumped";
    private static final String SEGMENT = "00000000000000000000.log";

    @TempDir
    static Path dir;

    private static Path partitionDir;
    private static Path metadataDir;

    @BeforeAll
    static void writeFilesThroughANode() {
        TestNode node = new TestNode(dir, Map.of("metadata.log.max.record.bytes.between.snapshots", "1"));
        try {
            node.createTopic(TOPIC, 1, Map.of("index.interval.bytes", "0"));
            Cli.runWithInput("k0|hello\nk1|world\nk2|h\u00e9llo\n", "console-producer", "--bootstrap-server",
                    node.bootstrap(), "--topic", TOPIC, "--property", "parse.key=true", "--property", "key.separator=|",
                    "--sync").assertSuccess();
        } finally {
            node.close();
        }
        partitionDir = dir.resolve(TOPIC + "-0");
        metadataDir = dir.resolve("__cluster_metadata-0");
    }

    private static Cli.Result dump(Path file, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "dump-log";
        args[1] = "--files";
        args[2] = file.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return Cli.run(args);
    }

    private static List<String> lines(Cli.Result result) {
        return result.assertSuccess().out().lines().toList();
    }

    private static JsonObject json(Cli.Result result) {
        List<String> lines = lines(result);
        assertEquals(1, lines.size(), result.toString());
        return JsonParser.parseString(lines.getFirst()).getAsJsonObject();
    }

    private static Path onlyFile(Path in, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), found.toString());
            return found.getFirst();
        }
    }

    @Test
    void aSegmentShowsEachBatchAndRecordInKafkasShape() {
        Path segment = partitionDir.resolve(SEGMENT);
        List<String> lines = lines(dump(segment, "--print-data-log"));

        assertEquals(8, lines.size(), lines.toString());
        assertEquals("Dumping " + segment, lines.get(0));
        assertEquals("Log starting offset: 0", lines.get(1));
        String[] keys = {"k0", "k1", "k2"};
        String[] values = {"hello", "world", "h\u00e9llo"};
        for (int offset = 0; offset < 3; offset++) {
            String batch = "baseOffset: " + offset + " lastOffset: " + offset + " count: 1 baseSequence: -1 "
                    + "lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 "
                    + "isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: \\d+ "
                    + "CreateTime: \\d{13} size: \\d+ magic: 2 compresscodec: none crc: \\d+ isvalid: true";
            assertTrue(Pattern.matches(batch, lines.get(2 + 2 * offset)), lines.get(2 + 2 * offset));
            String record = "\\| offset: " + offset + " CreateTime: \\d{13} keySize: 2 valueSize: "
                    + values[offset].getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + " sequence: -1 headerKeys: \\[\\] key: " + keys[offset] + " payload: " + values[offset];
            assertTrue(Pattern.matches(record, lines.get(3 + 2 * offset)), lines.get(3 + 2 * offset));
        }
        List<String> shallow = lines(dump(segment));
        assertEquals(5, shallow.size(), shallow.toString());
        assertTrue(shallow.get(2).startsWith("baseOffset: 0 lastOffset: 0 count: 1 "), shallow.get(2));
    }

    @Test
    void jsonOutputIsOneDocumentPerFileWithTheSameFacts() {
        Path segment = partitionDir.resolve(SEGMENT);
        Path epochs = partitionDir.resolve("leader-epoch-checkpoint");
        List<String> lines = lines(Cli.run("dump-log", "--files", segment + "," + epochs, "--print-data-log",
                "--output", "json"));

        assertEquals(2, lines.size(), lines.toString());
        JsonObject log = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(List.of(segment.toString(), "segment", "0"), List.of(log.get("file").getAsString(),
                log.get("kind").getAsString(), log.get("baseOffset").getAsString()));
        JsonArray batches = log.getAsJsonArray("batches");
        assertEquals(3, batches.size());
        for (int offset = 0; offset < 3; offset++) {
            JsonObject batch = batches.get(offset).getAsJsonObject();
            assertEquals(offset, batch.get("baseOffset").getAsLong());
            assertEquals(1, batch.get("count").getAsInt());
            assertTrue(batch.get("isValid").getAsBoolean());
            JsonObject record = batch.getAsJsonArray("records").get(0).getAsJsonObject();
            assertEquals("k" + offset, record.get("key").getAsString());
        }
        assertEquals("world", batches.get(1).getAsJsonObject().getAsJsonArray("records").get(0).getAsJsonObject()
                .get("payload").getAsString());
        JsonObject checkpoint = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("leader-epochs", checkpoint.get("kind").getAsString());
        assertEquals(0, checkpoint.getAsJsonArray("entries").get(0).getAsJsonObject().get("startOffset").getAsLong());
    }

    @Test
    void indexesListTheirEntriesAndMatchTheSegment() {
        JsonArray batches = json(dump(partitionDir.resolve(SEGMENT), "--output", "json")).getAsJsonArray("batches");
        int second = batches.get(1).getAsJsonObject().get("position").getAsInt();
        int third = batches.get(2).getAsJsonObject().get("position").getAsInt();
        Path index = partitionDir.resolve("00000000000000000000.index");
        Path timeIndex = partitionDir.resolve("00000000000000000000.timeindex");

        assertEquals(List.of("Dumping " + index, "offset: 1 position: " + second, "offset: 2 position: " + third),
                lines(dump(index)));
        List<String> times = lines(dump(timeIndex));
        assertTrue(times.size() >= 2, times.toString());
        assertTrue(Pattern.matches("timestamp: \\d{13} offset: 2", times.getLast()), times.toString());
        assertEquals(List.of("Dumping " + index), lines(dump(index, "--verify-index-only")));
        assertEquals(List.of("Dumping " + timeIndex, timeIndex + " passed sanity check."),
                lines(dump(timeIndex, "--index-sanity-check")));
        JsonObject indexJson = json(dump(index, "--output", "json"));
        assertEquals(0, indexJson.getAsJsonArray("mismatches").size());
        assertEquals(partitionDir.resolve(SEGMENT).toString(), indexJson.get("log").getAsString());
    }

    @Test
    void checkpointsNameOffsetsEpochsAndIds() {
        assertEquals(List.of("epoch: 0 startOffset: 0"),
                lines(dump(partitionDir.resolve("leader-epoch-checkpoint"))).subList(1, 2));
        assertEquals("topic: " + TOPIC + " partition: 0 offset: 3",
                lines(dump(dir.resolve("recovery-point-offset-checkpoint"))).stream()
                        .filter(line -> line.contains(TOPIC)).findFirst().orElseThrow());
        assertEquals("topic: " + TOPIC + " partition: 0 offset: 3",
                lines(dump(dir.resolve("replication-offset-checkpoint"))).stream()
                        .filter(line -> line.contains(TOPIC)).findFirst().orElseThrow());
        List<String> meta = lines(dump(dir.resolve("meta.properties")));
        assertEquals("node.id: 1", meta.get(2));
        assertTrue(meta.get(1).startsWith("cluster.id: "), meta.toString());
        assertTrue(lines(dump(partitionDir.resolve("partition.metadata"))).get(1).startsWith("topic_id: "));
        assertEquals(List.of("Dumping " + dir.resolve("quorum-state"), "epoch: 1 votedFor: 1 leaderId: 1 catchingUp: false"),
                lines(dump(dir.resolve("quorum-state"))));
    }

    @Test
    void theMetadataLogAndSnapshotShowTheTopicRecords() throws IOException {
        Path segment = metadataDir.resolve(SEGMENT);
        List<String> entries = lines(dump(segment, "--print-data-log"));
        Path snapshot = onlyFile(metadataDir, ".checkpoint");
        List<String> snapshotLines = lines(dump(snapshot, "--print-data-log"));

        assertTrue(Pattern.matches("offset: 0 epoch: 1 isControl: true position: 0 size: \\d+ crc: \\d+ isvalid: true",
                entries.get(2)), entries.toString());
        assertTrue(entries.stream().anyMatch(line -> line.startsWith("| topic { name: \"" + TOPIC + "\" topic_id: ")),
                entries.toString());
        assertTrue(Pattern.matches("Snapshot endOffset: \\d+ epoch: 1 dataBytes: \\d+ records: \\d+ isvalid: true",
                snapshotLines.get(1)), snapshotLines.toString());
        assertTrue(snapshotLines.stream().anyMatch(line -> line.startsWith("| topic { name: \"" + TOPIC + "\"")),
                snapshotLines.toString());
        JsonObject snapshotJson = json(dump(snapshot, "--print-data-log", "--output", "json"));
        assertTrue(snapshotJson.getAsJsonArray("records").asList().stream().map(JsonElement::getAsJsonObject)
                .anyMatch(r -> r.has("topic") && r.getAsJsonObject("topic").get("name").getAsString().equals(TOPIC)),
                snapshotJson.toString());
    }

    @Test
    void theClusterMetadataDecoderReadsAMetadataSegmentCopiedElsewhere() throws IOException {
        Path copy = Files.copy(metadataDir.resolve(SEGMENT),
                Files.createDirectories(dir.resolve("copied-metadata")).resolve(SEGMENT));

        List<String> decoded = lines(dump(copy, "--cluster-metadata-decoder"));
        List<String> plain = lines(dump(copy));

        assertTrue(decoded.get(2).startsWith("offset: 0 epoch: 1 isControl: true position: 0 "), decoded.toString());
        assertTrue(plain.get(2).startsWith("baseOffset: 0 lastOffset: 0 count: 1 "), plain.toString());
        assertTrue(plain.get(2).contains(" partitionLeaderEpoch: 1 isTransactional: false isControl: true "),
                plain.get(2));
    }

    @Test
    void aDamagedSegmentIsReportedAndTheCommandFails() throws IOException {
        Path damaged = Files.createDirectories(dir.resolve("damaged")).resolve(SEGMENT);
        Files.copy(partitionDir.resolve(SEGMENT), damaged);
        JsonArray batches = json(dump(damaged, "--output", "json")).getAsJsonArray("batches");
        int second = batches.get(1).getAsJsonObject().get("position").getAsInt();
        int third = batches.get(2).getAsJsonObject().get("position").getAsInt();
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[third - 2] ^= 0x55;
        Files.write(damaged, java.util.Arrays.copyOf(bytes, third + 30));

        Cli.Result result = dump(damaged, "--deep-iteration");

        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.get(3).startsWith("| offset: 0 "), lines.toString());
        assertTrue(lines.get(4).startsWith("baseOffset: 1 lastOffset: 1 ") && lines.get(4).endsWith("isvalid: false"),
                lines.toString());
        assertTrue(lines.get(5).startsWith("Invalid batch at position " + second + ": record batch at position "
                + second + " failed its CRC32C check"), lines.toString());
        assertEquals("Readable data ends at position " + third + ": only 30 bytes remain, less than a batch header "
                + "(61 bytes) (30 bytes not read)", lines.getLast());
        assertEquals("Error: found problems in " + damaged + "\n", result.err());
    }

    @Test
    void damagedIndexesAreReportedAndTheCommandFails() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("indexes"));
        Path segment = Files.copy(partitionDir.resolve(SEGMENT), copy.resolve(SEGMENT));
        Path index = Files.copy(partitionDir.resolve("00000000000000000000.index"),
                copy.resolve("00000000000000000000.index"));
        Path timeIndex = Files.copy(partitionDir.resolve("00000000000000000000.timeindex"),
                copy.resolve("00000000000000000000.timeindex"));
        byte[] entries = Files.readAllBytes(index);
        entries[3] = 2;
        Files.write(index, entries);
        Files.write(timeIndex, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        Cli.Result mismatch = dump(index, "--verify-index-only");
        Cli.Result insane = dump(timeIndex, "--index-sanity-check");
        Files.delete(segment);
        Cli.Result unverifiable = dump(index, "--verify-index-only");

        assertEquals(1, mismatch.exitCode(), mismatch.toString());
        int second = Integer.parseInt(lines(dump(partitionDir.resolve("00000000000000000000.index"))).get(1)
                .replaceAll(".* position: ", ""));
        assertEquals(List.of("Dumping " + index, "Mismatches in :" + index, "  Index offset: 2, log offset: 1 (position "
                + second + ")", "Failed sanity check: corrupt index " + index + ": entry 1 does not increase over entry 0"),
                mismatch.out().lines().toList());
        assertEquals("Error: found problems in " + index + "\n", mismatch.err());
        assertEquals(1, insane.exitCode(), insane.toString());
        assertEquals("Dumping " + timeIndex + "\n" + timeIndex + " failed sanity check: corrupt index " + timeIndex
                + ": file length is not a multiple of 12\n", insane.out());
        assertEquals(1, unverifiable.exitCode(), unverifiable.toString());
        assertTrue(unverifiable.out().contains("Not verified: no segment 00000000000000000000.log next to it"),
                unverifiable.out());
    }

    @Test
    void unreadableCheckpointsAndSnapshotsAreReportedInBothForms() throws IOException {
        Path damaged = Files.createDirectories(dir.resolve("checkpoints"));
        Path epochs = Files.writeString(damaged.resolve("leader-epoch-checkpoint"), "0\n2\n0 0\n");
        Path snapshot = onlyFile(metadataDir, ".checkpoint");
        Path badSnapshot = Files.copy(snapshot, damaged.resolve(snapshot.getFileName()));
        byte[] bytes = Files.readAllBytes(badSnapshot);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(badSnapshot, bytes);

        Cli.Result text = Cli.run("dump-log", "--files", epochs + "," + badSnapshot);
        Cli.Result json = dump(epochs, "--output", "json");

        assertEquals(1, text.exitCode(), text.toString());
        List<String> lines = text.out().lines().toList();
        assertEquals("Cannot read " + epochs + ": corrupt checkpoint file " + epochs
                + " at line 2: declares 2 entries but has 1", lines.get(1));
        assertTrue(lines.get(3).endsWith("isvalid: false"), lines.toString());
        assertEquals("Invalid snapshot: its data does not match its checksum", lines.get(4));
        assertEquals("Error: found problems in " + epochs + ", " + badSnapshot + "\n", text.err());
        assertEquals(1, json.exitCode(), json.toString());
        JsonObject document = JsonParser.parseString(json.out().strip()).getAsJsonObject();
        assertEquals(List.of(epochs.toString(), "leader-epochs"), List.of(document.get("file").getAsString(),
                document.get("kind").getAsString()));
        assertTrue(document.get("error").getAsString().endsWith("declares 2 entries but has 1"), document.toString());
    }

    @Test
    void aMissingFileIsReportedAfterTheOthersAreDumped() {
        Path missing = partitionDir.resolve("00000000000000000042.index");
        Path index = partitionDir.resolve("00000000000000000000.index");
        Path epochs = partitionDir.resolve("leader-epoch-checkpoint");

        Cli.Result text = Cli.run("dump-log", "--files", missing + "," + index + "," + epochs);
        Cli.Result json = Cli.run("dump-log", "--files", index + "," + missing, "--output", "json");

        assertEquals(1, text.exitCode(), text.toString());
        List<String> lines = text.out().lines().toList();
        assertEquals(List.of("Dumping " + missing, missing + " does not exist", "Dumping " + index),
                lines.subList(0, 3));
        assertEquals(lines(dump(index)), lines.subList(2, 5), "the good index is dumped as on its own");
        assertTrue(lines.contains("Dumping " + epochs) && lines.contains("epoch: 0 startOffset: 0"), lines.toString());
        assertEquals("Error: " + missing + " does not exist\n", text.err());
        assertEquals(1, json.exitCode(), json.toString());
        List<String> documents = json.out().lines().toList();
        assertEquals(2, documents.size(), documents.toString());
        assertEquals("offset-index", JsonParser.parseString(documents.get(0)).getAsJsonObject().get("kind")
                .getAsString());
        JsonObject refused = JsonParser.parseString(documents.get(1)).getAsJsonObject();
        assertEquals(List.of(missing.toString(), missing + " does not exist"), List.of(refused.get("file")
                .getAsString(), refused.get("error").getAsString()));
    }

    @Test
    void aQuietRunningPartitionsActiveIndexesAreHealthy(@TempDir Path running) {
        TestNode node = new TestNode(running);
        try {
            node.createTopic("quiet", 1, Map.of());
            Cli.runWithInput("one\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic", "quiet",
                    "--sync").assertSuccess();
            Path timeIndex = running.resolve("quiet-0").resolve("00000000000000000000.timeindex");
            Path index = running.resolve("quiet-0").resolve("00000000000000000000.index");

            List<String> times = lines(dump(timeIndex));
            List<String> offsets = lines(dump(index));

            assertEquals(2, times.size(), times.toString());
            assertEquals("Dumping " + timeIndex, times.get(0));
            assertTrue(times.get(1).endsWith(" zero entries follow, the preallocated space of an active segment's "
                    + "index"), times.toString());
            assertEquals(2, offsets.size(), offsets.toString());
            assertTrue(offsets.get(1).endsWith(" zero entries follow, the preallocated space of an active segment's "
                    + "index"), offsets.toString());
            assertEquals(List.of("Dumping " + timeIndex), lines(dump(timeIndex, "--verify-index-only")));
        } finally {
            node.close();
        }
    }

    /** Each file's bytes and last-modified time. */
    private static Map<Path, List<Object>> states(List<Path> files) throws IOException {
        Map<Path, List<Object>> states = new java.util.LinkedHashMap<>();
        for (Path file : files) {
            states.put(file, List.of(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)),
                    Files.getLastModifiedTime(file)));
        }
        return states;
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void dumpingLeavesFilesUntouchedAndReadsReadOnlyCopies() throws IOException {
        Path snapshot = onlyFile(metadataDir, ".checkpoint");
        List<Path> files = List.of(partitionDir.resolve(SEGMENT), partitionDir.resolve("00000000000000000000.index"),
                partitionDir.resolve("00000000000000000000.timeindex"), partitionDir.resolve("leader-epoch-checkpoint"),
                partitionDir.resolve("partition.metadata"), dir.resolve("recovery-point-offset-checkpoint"),
                dir.resolve("replication-offset-checkpoint"), dir.resolve("meta.properties"), snapshot,
                metadataDir.resolve(SEGMENT));
        String joined = String.join(",", files.stream().map(Path::toString).toList());
        Map<Path, List<Object>> before = states(files);
        List<Path> partitionListing = listing(partitionDir);
        List<Path> metadataListing = listing(metadataDir);

        Cli.run("dump-log", "--files", joined, "--print-data-log").assertSuccess();
        Cli.run("dump-log", "--files", joined, "--verify-index-only", "--output", "json").assertSuccess();
        Cli.run("dump-log", "--files", joined, "--index-sanity-check").assertSuccess();

        assertEquals(before, states(files), "bytes and last-modified times are unchanged");
        assertEquals(partitionListing, listing(partitionDir), "no file is created or removed");
        assertEquals(metadataListing, listing(metadataDir), "no file is created or removed");

        Path readOnly = Files.createDirectories(dir.resolve("read-only").resolve(TOPIC + "-0"));
        List<Path> copies = new java.util.ArrayList<>();
        for (Path file : files.subList(0, 5)) {
            copies.add(Files.copy(file, readOnly.resolve(file.getFileName())));
        }
        copies.add(Files.copy(snapshot, readOnly.resolve(snapshot.getFileName())));
        Set<PosixFilePermission> readOnlyFile = PosixFilePermissions.fromString("r--r--r--");
        for (Path copy : copies) {
            Files.setPosixFilePermissions(copy, readOnlyFile);
        }
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            String copied = String.join(",", copies.stream().map(Path::toString).toList());
            List<String> lines = lines(Cli.run("dump-log", "--files", copied, "--print-data-log"));
            assertTrue(lines.contains("Dumping " + copies.get(2)) && lines.contains("epoch: 0 startOffset: 0"),
                    lines.toString());
            assertEquals(List.of("Dumping " + copies.get(1)), lines(dump(copies.get(1), "--verify-index-only")));
            assertEquals(copies.stream().sorted().toList(), listing(readOnly));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheFile() throws IOException {
        Path unknown = Files.writeString(dir.resolve("notes.txt"), "hello");
        Path missing = dir.resolve("00000000000000000042.log");

        Cli.Result noFiles = Cli.run("dump-log");
        Cli.Result unknownKind = Cli.run("dump-log", "--files", partitionDir.resolve(SEGMENT) + "," + unknown);
        Cli.Result missingFile = dump(missing);
        Cli.Result badOutput = dump(partitionDir.resolve(SEGMENT), "--output", "xml");
        Cli.Result badMaxBytes = dump(partitionDir.resolve(SEGMENT), "--max-bytes", "0");

        assertEquals(2, noFiles.exitCode(), noFiles.toString());
        assertTrue(noFiles.err().contains("Missing required option: '--files=FILE[,FILE...]'"), noFiles.err());
        assertEquals(1, unknownKind.exitCode(), unknownKind.toString());
        List<String> dumped = unknownKind.out().lines().toList();
        assertEquals("Dumping " + partitionDir.resolve(SEGMENT), dumped.getFirst(), "the good file is still dumped");
        assertEquals("Dumping " + unknown, dumped.get(dumped.size() - 2), dumped.toString());
        assertTrue(dumped.getLast().startsWith(unknown + ": unknown file kind; dump-log reads log segments (.log)"),
                dumped.toString());
        assertTrue(unknownKind.err().startsWith("Error: " + unknown + ": unknown file kind; dump-log reads log "
                + "segments (.log)"), unknownKind.err());
        assertEquals(1, unknownKind.err().lines().count(), unknownKind.err());
        assertEquals(1, missingFile.exitCode(), missingFile.toString());
        assertEquals("Error: " + missing + " does not exist\n", missingFile.err());
        assertEquals(2, badOutput.exitCode(), badOutput.toString());
        assertTrue(badOutput.err().contains("--output must be text or json; got 'xml'"), badOutput.err());
        assertEquals(2, badMaxBytes.exitCode(), badMaxBytes.toString());
        assertTrue(badMaxBytes.err().contains("--max-bytes must be at least 1; got 0"), badMaxBytes.err());
    }
}
