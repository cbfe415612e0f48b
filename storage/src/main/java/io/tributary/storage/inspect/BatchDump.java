package io.tributary.storage.inspect;

import io.tributary.common.record.TimestampType;
import java.util.List;
import java.util.OptionalLong;

/**
 * One record batch of a segment file, as its header states it (Kafka's {@code kafka-dump-log} fields).
 *
 * @param position             byte position of the batch in the file
 * @param baseOffset           offset of its first record
 * @param lastOffset           offset of its last record
 * @param count                number of records the header declares
 * @param baseSequence         producer sequence of the first record, or -1
 * @param lastSequence         producer sequence of the last record, or -1
 * @param producerId           producer id, or -1
 * @param producerEpoch        producer epoch, or -1
 * @param partitionLeaderEpoch epoch of the leader that appended it, or -1
 * @param transactional        whether the batch belongs to a transaction
 * @param control              whether it is a control batch (a transaction marker, or a Raft control entry)
 * @param deleteHorizonMs      when compaction may drop its tombstones, if set
 * @param timestampType        create time or log-append time
 * @param maxTimestampMs       largest record timestamp
 * @param sizeBytes            the whole batch, log overhead included
 * @param magic                format version (2)
 * @param compression          codec name ({@code none}, {@code gzip}, ...), or {@code unknown(<id>)}
 * @param crc                  the stored CRC32C, unsigned
 * @param valid                whether the batch passed its checks (framing, magic, CRC)
 * @param problem              why it is invalid, or why its records could not be decoded; null when neither
 * @param records              its records, decoded only for a deep iteration (empty otherwise)
 */
public record BatchDump(int position, long baseOffset, long lastOffset, int count, int baseSequence, int lastSequence,
        long producerId, short producerEpoch, int partitionLeaderEpoch, boolean transactional, boolean control,
        OptionalLong deleteHorizonMs, TimestampType timestampType, long maxTimestampMs, int sizeBytes, byte magic,
        String compression, long crc, boolean valid, String problem, List<RecordDump> records) {

    public BatchDump {
        records = List.copyOf(records);
    }

    /** Whether anything is wrong with this batch or its records. */
    public boolean hasProblem() {
        return !valid || problem != null;
    }
}
