package io.tributary.tools;

import com.google.protobuf.TextFormat;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.quorum.inspect.MetadataLogDump;
import io.tributary.quorum.inspect.MetadataSnapshotDump;
import io.tributary.storage.inspect.BatchDump;
import io.tributary.storage.inspect.IndexDump;
import io.tributary.storage.inspect.RecordDump;
import io.tributary.storage.inspect.SegmentDump;
import io.tributary.tools.internal.Json;
import io.tributary.tools.internal.ProtoJson;
import io.tributary.tools.internal.RecordFormatter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code dump-log} shows log segments, their indexes, metadata log segments and metadata snapshots: as text
 * lines in {@code kafka-dump-log}'s shape, and as one JSON object per file with the same facts.
 * Pure formatting; the reading is the storage and quorum inspection APIs'.
 */
final class DumpLogFormats {

    /** A file's dump in both forms, and whether it found something wrong. */
    record Dumped(List<String> lines, Map<String, Object> json, boolean failed) {
    }

    /** What to show of an index: its entries and mismatches, only mismatches, or only the sanity check. */
    enum IndexMode {
        ENTRIES, VERIFY_ONLY, SANITY_CHECK
    }

    private static final TextFormat.Printer TEXT = TextFormat.printer().emittingSingleLine(true);

    private DumpLogFormats() {
    }

    static Dumped segment(SegmentDump dump, boolean printData) {
        List<String> lines = new ArrayList<>();
        lines.add("Log starting offset: " + dump.baseOffset());
        List<Object> batches = new ArrayList<>();
        for (BatchDump batch : dump.batches()) {
            lines.add(batchLine(batch));
            if (batch.problem() != null) {
                lines.add("Invalid batch at position " + batch.position() + ": " + batch.problem());
            }
            List<Object> records = new ArrayList<>();
            for (RecordDump record : batch.records()) {
                lines.add(recordLine(batch, record, printData));
                records.add(recordJson(record, printData));
            }
            batches.add(batchJson(batch, records));
        }
        if (dump.endProblem() != null) {
            lines.add(endLine(dump.endProblem(), dump.unreadBytes()));
        }
        return new Dumped(lines, Json.object("file", dump.file().toString(), "kind", "segment", "baseOffset",
                dump.baseOffset(), "batches", batches, "endProblem", dump.endProblem(), "unreadBytes",
                dump.unreadBytes()), dump.hasProblems());
    }

    static Dumped metadataLog(MetadataLogDump dump, boolean deep, boolean printData) {
        List<String> lines = new ArrayList<>();
        lines.add("Log starting offset: " + dump.baseOffset());
        List<Object> entries = new ArrayList<>();
        for (MetadataLogDump.Entry entry : dump.entries()) {
            lines.add("offset: " + entry.offset() + " epoch: " + entry.epoch() + " isControl: " + entry.control()
                    + (deep && !entry.control() ? " records: " + entry.records().size() : "")
                    + " position: " + entry.position() + " size: " + entry.sizeBytes() + " crc: " + entry.crc()
                    + " isvalid: " + entry.valid());
            if (entry.problem() != null) {
                lines.add("Invalid entry at position " + entry.position() + ": " + entry.problem());
            }
            if (printData) {
                entry.records().forEach(record -> lines.add("| " + TEXT.printToString(record)));
            }
            entries.add(Json.object("offset", entry.offset(), "epoch", entry.epoch(), "isControl", entry.control(),
                    "position", entry.position(), "size", entry.sizeBytes(), "crc", entry.crc(), "isValid",
                    entry.valid(), "problem", entry.problem(), "records", printData ? records(entry.records()) : null));
        }
        if (dump.endProblem() != null) {
            lines.add(endLine(dump.endProblem(), dump.unreadBytes()));
        }
        return new Dumped(lines, Json.object("file", dump.file().toString(), "kind", "metadata-log", "baseOffset",
                dump.baseOffset(), "entries", entries, "endProblem", dump.endProblem(), "unreadBytes",
                dump.unreadBytes()), dump.hasProblems());
    }

    static Dumped metadataSnapshot(MetadataSnapshotDump dump, boolean printData) {
        List<String> lines = new ArrayList<>();
        lines.add("Snapshot endOffset: " + dump.endOffset() + " epoch: " + dump.epoch() + " dataBytes: "
                + dump.dataBytes() + (printData ? " records: " + dump.records().size() : "") + " isvalid: "
                + !dump.hasProblem());
        if (dump.problem() != null) {
            lines.add("Invalid snapshot: " + dump.problem());
        }
        if (printData) {
            dump.records().forEach(record -> lines.add("| " + TEXT.printToString(record)));
        }
        return new Dumped(lines, Json.object("file", dump.file().toString(), "kind", "metadata-snapshot", "endOffset",
                dump.endOffset(), "epoch", dump.epoch(), "dataBytes", dump.dataBytes(), "isValid", !dump.hasProblem(),
                "problem", dump.problem(), "records", printData ? records(dump.records()) : null), dump.hasProblem());
    }

    static Dumped offsetIndex(IndexDump.OffsetIndexDump dump, IndexMode mode) {
        List<String> lines = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        for (IndexDump.OffsetEntry entry : dump.entries()) {
            entries.add(Json.object("offset", entry.offset(), "position", entry.position()));
            lines.add("offset: " + entry.offset() + " position: " + entry.position());
        }
        List<String> mismatchLines = new ArrayList<>();
        List<Object> mismatches = new ArrayList<>();
        for (IndexDump.OffsetMismatch mismatch : dump.mismatches()) {
            mismatchLines.add("  Index offset: " + mismatch.entry().offset() + ", log offset: " + mismatch.logOffset()
                    + " (position " + mismatch.entry().position() + ")");
            mismatches.add(Json.object("indexOffset", mismatch.entry().offset(), "logOffset", mismatch.logOffset(),
                    "position", mismatch.entry().position()));
        }
        return index(new IndexFacts(dump.file(), "offset-index", dump.baseOffset(), dump.preallocatedEntries(),
                dump.logFile(), dump.sanityProblem()), mode, lines, entries, mismatchLines, mismatches);
    }

    static Dumped timeIndex(IndexDump.TimeIndexDump dump, IndexMode mode) {
        List<String> lines = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        for (IndexDump.TimeEntry entry : dump.entries()) {
            entries.add(Json.object("timestamp", entry.timestampMs(), "offset", entry.offset()));
            lines.add("timestamp: " + entry.timestampMs() + " offset: " + entry.offset());
        }
        List<String> mismatchLines = new ArrayList<>();
        List<Object> mismatches = new ArrayList<>();
        for (IndexDump.TimeMismatch mismatch : dump.mismatches()) {
            mismatchLines.add("  Index timestamp: " + mismatch.entry().timestampMs() + ", offset: "
                    + mismatch.entry().offset() + ", log timestamp: " + (mismatch.logTimestampMs() < 0
                    ? "none (no batch ends at that offset)" : mismatch.logTimestampMs()));
            mismatches.add(Json.object("indexTimestamp", mismatch.entry().timestampMs(), "indexOffset",
                    mismatch.entry().offset(), "logTimestamp", mismatch.logTimestampMs()));
        }
        return index(new IndexFacts(dump.file(), "time-index", dump.baseOffset(), dump.preallocatedEntries(),
                dump.logFile(), dump.sanityProblem()), mode, lines, entries, mismatchLines, mismatches);
    }

    /** What both kinds of index dumps share. */
    private record IndexFacts(Path file, String kind, long baseOffset, int preallocatedEntries, Path logFile,
            String sanityProblem) {
    }

    private static Dumped index(IndexFacts index, IndexMode mode, List<String> entryLines, List<Object> entries,
            List<String> mismatchLines, List<Object> mismatches) {
        Path file = index.file();
        String sanityProblem = index.sanityProblem();
        String preallocated = index.preallocatedEntries() == 0 ? null : index.preallocatedEntries()
                + " zero entries follow, the preallocated space of an active segment's index";
        if (mode == IndexMode.SANITY_CHECK) {
            String line = preallocated != null ? file + " not sanity-checked: " + preallocated
                    : sanityProblem == null ? file + " passed sanity check."
                    : file + " failed sanity check: " + sanityProblem;
            return new Dumped(List.of(line), Json.object("file", file.toString(), "kind", index.kind(), "baseOffset",
                    index.baseOffset(), "preallocatedEntries", index.preallocatedEntries(), "sanityProblem",
                    sanityProblem), sanityProblem != null);
        }
        List<String> lines = new ArrayList<>(mode == IndexMode.ENTRIES ? entryLines : List.of());
        if (preallocated != null && mode == IndexMode.ENTRIES) {
            lines.add(preallocated);
        }
        boolean unverifiable = index.logFile() == null && mode == IndexMode.VERIFY_ONLY;
        if (index.logFile() == null) {
            lines.add("Not verified: no segment " + String.format("%020d", index.baseOffset()) + ".log next to it");
        }
        if (!mismatchLines.isEmpty()) {
            lines.add("Mismatches in :" + file);
            lines.addAll(mismatchLines);
        }
        if (sanityProblem != null) {
            lines.add("Failed sanity check: " + sanityProblem);
        }
        return new Dumped(lines, Json.object("file", file.toString(), "kind", index.kind(), "baseOffset",
                index.baseOffset(), "log", index.logFile() == null ? null : index.logFile().toString(), "entries",
                mode == IndexMode.ENTRIES ? entries : null, "preallocatedEntries", index.preallocatedEntries(),
                "sanityProblem", sanityProblem, "mismatches", mismatches),
                unverifiable || sanityProblem != null || !mismatches.isEmpty());
    }

    private static String endLine(String endProblem, long unreadBytes) {
        return "Readable data ends at " + endProblem + " (" + unreadBytes + " bytes not read)";
    }

    private static List<Object> records(List<MetadataRecord> records) {
        return new ArrayList<>(records.stream().map(ProtoJson::toJson).toList());
    }

    private static String batchLine(BatchDump batch) {
        return "baseOffset: " + batch.baseOffset() + " lastOffset: " + batch.lastOffset() + " count: " + batch.count()
                + " baseSequence: " + batch.baseSequence() + " lastSequence: " + batch.lastSequence()
                + " producerId: " + batch.producerId() + " producerEpoch: " + batch.producerEpoch()
                + " partitionLeaderEpoch: " + batch.partitionLeaderEpoch() + " isTransactional: "
                + batch.transactional() + " isControl: " + batch.control() + " deleteHorizonMs: "
                + batch.deleteHorizonMs() + " position: " + batch.position() + " "
                + RecordFormatter.timestampTypeName(batch.timestampType()) + ": " + batch.maxTimestampMs()
                + " size: " + batch.sizeBytes()
                + " magic: " + batch.magic() + " compresscodec: " + batch.compression() + " crc: " + batch.crc()
                + " isvalid: " + batch.valid();
    }

    private static Map<String, Object> batchJson(BatchDump batch, List<Object> records) {
        return Json.object("baseOffset", batch.baseOffset(), "lastOffset", batch.lastOffset(), "count", batch.count(),
                "baseSequence", batch.baseSequence(), "lastSequence", batch.lastSequence(), "producerId",
                batch.producerId(), "producerEpoch", batch.producerEpoch(), "partitionLeaderEpoch",
                batch.partitionLeaderEpoch(), "isTransactional", batch.transactional(), "isControl", batch.control(),
                "deleteHorizonMs", batch.deleteHorizonMs().isPresent() ? batch.deleteHorizonMs().getAsLong() : null,
                "position", batch.position(), "timestampType",
                RecordFormatter.timestampTypeName(batch.timestampType()), "maxTimestamp", batch.maxTimestampMs(), "size", batch.sizeBytes(), "magic", batch.magic(), "compressCodec",
                batch.compression(), "crc", batch.crc(), "isValid", batch.valid(), "problem", batch.problem(),
                "records", records);
    }

    private static String recordLine(BatchDump batch, RecordDump record, boolean printData) {
        StringBuilder line = new StringBuilder("| offset: ").append(record.offset()).append(' ')
                .append(RecordFormatter.timestampTypeName(batch.timestampType())).append(": ")
                .append(record.timestampMs()).append(" keySize: ").append(record.keySize()).append(" valueSize: ")
                .append(record.valueSize()).append(" sequence: ").append(record.sequence()).append(" headerKeys: [")
                .append(String.join(",", record.headerKeys())).append(']');
        if (printData && record.endTxnMarker() != null) {
            line.append(" endTxnMarker: ").append(record.endTxnMarker().type()).append(" coordinatorEpoch: ")
                    .append(record.endTxnMarker().coordinatorEpoch());
        } else if (printData) {
            if (record.key() != null) {
                line.append(" key: ").append(utf8(record.key()));
            }
            if (record.value() != null) {
                line.append(" payload: ").append(utf8(record.value()));
            }
        }
        return line.toString();
    }

    private static Map<String, Object> recordJson(RecordDump record, boolean printData) {
        Map<String, Object> json = Json.object("offset", record.offset(), "timestamp", record.timestampMs(), "keySize",
                record.keySize(), "valueSize", record.valueSize(), "sequence", record.sequence(), "headerKeys",
                new ArrayList<Object>(record.headerKeys()));
        if (printData) {
            json.put("key", record.key() == null ? null : utf8(record.key()));
            json.put("payload", record.value() == null ? null : utf8(record.value()));
            json.put("endTxnMarker", record.endTxnMarker() == null ? null : Json.object("type",
                    record.endTxnMarker().type().name(), "coordinatorEpoch", record.endTxnMarker().coordinatorEpoch()));
        }
        return json;
    }

    /** Lossy UTF-8: bytes that are not UTF-8 become U+FFFD, as Kafka's string decoder prints them. */
    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
