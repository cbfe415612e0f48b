package io.tributary.storage.inspect;

import io.tributary.common.record.EndTransactionMarker;
import java.util.List;

/**
 * One decoded record of a batch. Arrays are not copied: treat them as immutable.
 *
 * @param offset       its absolute offset
 * @param timestampMs  its effective timestamp
 * @param keySize      key bytes, or -1 for a null key
 * @param valueSize    value bytes, or -1 for a null value
 * @param sequence     its producer sequence, or -1
 * @param headerKeys   the keys of its headers, in order
 * @param key          the key, or null
 * @param value        the value, or null
 * @param endTxnMarker the transaction marker a control record holds, or null (not a control record, or
 *                     a control record of another kind, such as a Raft control entry)
 */
public record RecordDump(long offset, long timestampMs, int keySize, int valueSize, int sequence,
        List<String> headerKeys, byte[] key, byte[] value, EndTransactionMarker endTxnMarker) {

    public RecordDump {
        headerKeys = List.copyOf(headerKeys);
    }
}
