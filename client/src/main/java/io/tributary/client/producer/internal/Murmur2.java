package io.tributary.client.producer.internal;

/**
 * The 32-bit murmur2 hash exactly as Kafka's default partitioner computes it (seed 0x9747b28c),
 * so a key lands on the same partition number as with a Kafka producer.
 */
public final class Murmur2 {

    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2() {
    }

    /** The murmur2 hash of {@code data}. */
    public static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int wholeWords = length / 4;
        for (int i = 0; i < wholeWords; i++) {
            int offset = i * 4;
            int k = (data[offset] & 0xff) | ((data[offset + 1] & 0xff) << 8)
                    | ((data[offset + 2] & 0xff) << 16) | ((data[offset + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through: the remaining tail bytes mix in exactly as in the reference
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** The partition Kafka's default partitioner picks for a key: positive murmur2 modulo the count. */
    public static int partitionForKey(byte[] keyBytes, int numPartitions) {
        return (hash(keyBytes) & 0x7fffffff) % numPartitions;
    }
}
