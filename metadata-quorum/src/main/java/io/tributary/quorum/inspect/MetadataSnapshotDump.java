package io.tributary.quorum.inspect;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.quorum.runtime.SnapshotFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A metadata snapshot file ({@code <20-digit end offset>-<10-digit epoch>.checkpoint} in the metadata
 * log's directory): the records that rebuild the metadata image as of its end offset, checked as a
 * node checks it before loading it (magic, version, header matching the name, CRC32C of the data).
 *
 * @param file       the snapshot file
 * @param endOffset  the offset after the last entry it covers, from its header (its name when the header is missing)
 * @param epoch      the epoch of that last entry, likewise
 * @param dataBytes  bytes of snapshot data after the header
 * @param problem    why a node would ignore it, or null when it is valid
 * @param records    its metadata records, when decoded (empty otherwise)
 */
public record MetadataSnapshotDump(Path file, long endOffset, int epoch, long dataBytes, String problem,
        List<MetadataRecord> records) {

    /** Snapshot files end with this. */
    public static final String FILE_SUFFIX = SnapshotFiles.FILE_SUFFIX;

    public MetadataSnapshotDump {
        records = List.copyOf(records);
    }

    public boolean hasProblem() {
        return problem != null;
    }

    /**
     * Reads a snapshot file.
     *
     * @param decode whether to decode its records (only a valid snapshot's are decoded)
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file is not named like a snapshot
     */
    public static MetadataSnapshotDump read(Path file, boolean decode) throws IOException {
        SnapshotFiles.Contents contents = SnapshotFiles.readFile(file, decode);
        String problem = contents.problem();
        List<MetadataRecord> records = List.of();
        if (decode && problem == null) {
            try {
                records = MetadataRecordList.parseFrom(contents.data()).getRecordsList();
            } catch (InvalidProtocolBufferException e) {
                problem = "its data is not a MetadataRecordList: " + e.getMessage();
            }
        }
        SnapshotFiles.Header header = contents.header();
        if (header == null) {
            return new MetadataSnapshotDump(file, -1, -1, contents.dataBytes(), problem, records);
        }
        return new MetadataSnapshotDump(file, header.id().offset(), header.id().epoch(), contents.dataBytes(),
                problem, records);
    }
}
