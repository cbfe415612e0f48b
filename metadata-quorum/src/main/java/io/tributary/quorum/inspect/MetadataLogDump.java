package io.tributary.quorum.inspect;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.storage.LogManager;
import io.tributary.storage.inspect.BatchDump;
import io.tributary.storage.inspect.SegmentDump;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A segment of the metadata log (the Raft log in {@code <metadata.log.dir>/__cluster_metadata-0}),
 * entry by entry. Each Raft entry is one record batch holding one record whose value is a
 * {@link MetadataRecordList}; the batch's partition leader epoch is the entry's epoch, and a new
 * leader's control entry is a control batch without metadata.
 *
 * @param file        the segment file
 * @param baseOffset  the offset its name encodes
 * @param entries     the entries read, in offset order
 * @param endProblem  where and why the readable data ends before the file does, or null
 * @param unreadBytes bytes after the readable data when {@link #endProblem()} is set, else 0
 */
public record MetadataLogDump(Path file, long baseOffset, List<Entry> entries, String endProblem, long unreadBytes) {

    /** The directory of the metadata log, inside {@code metadata.log.dir}. */
    public static final String DIRECTORY_NAME = LogManager.METADATA_LOG_DIR_NAME;

    public MetadataLogDump {
        entries = List.copyOf(entries);
    }

    /**
     * One Raft entry.
     *
     * @param offset    its offset
     * @param epoch     the leader epoch it was written in
     * @param control   whether it is a leader's control entry (no metadata)
     * @param position  byte position of its batch in the file
     * @param sizeBytes bytes of its batch
     * @param crc       the stored CRC32C of its batch
     * @param valid     whether the batch passed its checks (framing, magic, CRC)
     * @param problem   what is wrong with the batch or its metadata, or null
     * @param records   the metadata records, when decoded (empty otherwise, and for control entries)
     */
    public record Entry(long offset, int epoch, boolean control, int position, int sizeBytes, long crc, boolean valid,
            String problem, List<MetadataRecord> records) {

        public Entry {
            records = List.copyOf(records);
        }

        public boolean hasProblem() {
            return !valid || problem != null;
        }
    }

    /** Whether an entry has a problem or the readable data ends early. */
    public boolean hasProblems() {
        return endProblem != null || entries.stream().anyMatch(Entry::hasProblem);
    }

    /**
     * Reads a metadata log segment.
     *
     * @param decode   whether to decode the metadata records of each entry
     * @param maxBytes stop after the batch that reaches this many bytes into the file
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file is not named like a segment
     */
    public static MetadataLogDump read(Path file, boolean decode, long maxBytes) throws IOException {
        SegmentDump segment = SegmentDump.read(file, decode, maxBytes);
        List<Entry> entries = segment.batches().stream().map(batch -> entry(batch, decode)).toList();
        return new MetadataLogDump(file, segment.baseOffset(), entries, segment.endProblem(), segment.unreadBytes());
    }

    private static Entry entry(BatchDump batch, boolean decode) {
        String problem = batch.problem();
        List<MetadataRecord> records = List.of();
        if (decode && !batch.control() && batch.problem() == null) {
            if (batch.records().size() != 1) {
                problem = "the batch holds " + batch.records().size() + " records; a Raft entry is one";
            } else {
                try {
                    byte[] value = batch.records().getFirst().value();
                    records = MetadataRecordList.parseFrom(value == null ? new byte[0] : value).getRecordsList();
                } catch (InvalidProtocolBufferException e) {
                    problem = "its value is not a MetadataRecordList: " + e.getMessage();
                }
            }
        }
        return new Entry(batch.baseOffset(), batch.partitionLeaderEpoch(), batch.control(), batch.position(),
                batch.sizeBytes(), batch.crc(), batch.valid(), problem, records);
    }
}
