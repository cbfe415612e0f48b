package io.tributary.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class Murmur2Test {

    /**
     * Hashes Kafka's Java client computes (from Kafka's own murmur2 test and from ports to other
     * languages validated against it), so keys land where Kafka's default partitioner puts them.
     */
    private static final Map<String, Integer> KAFKA_VECTORS = Map.ofEntries(
            Map.entry("21", -973932308),
            Map.entry("foobar", -790332482),
            Map.entry("a-little-bit-long-string", -985981536),
            Map.entry("a-little-bit-longer-string", -1486304829),
            Map.entry("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
            Map.entry("abc", 479470107),
            Map.entry("1", -1993445489),
            Map.entry("12", 126087238),
            Map.entry("123", -267702483),
            Map.entry("1234", -1614185708),
            Map.entry("12345", -1188365604));

    @Test
    void hashesMatchKafkasReferenceVectors() {
        KAFKA_VECTORS.forEach((key, expected) ->
                assertEquals(expected, Murmur2.hash(key.getBytes(StandardCharsets.UTF_8)), "murmur2 of '" + key + "'"));
    }

    @Test
    void partitionIsThePositiveHashModuloTheCount() {
        byte[] key = "foobar".getBytes(StandardCharsets.UTF_8);
        assertEquals((-790332482 & 0x7fffffff) % 12, Murmur2.partitionForKey(key, 12));
        for (int i = 0; i < 1000; i++) {
            int partition = Murmur2.partitionForKey(("key-" + i).getBytes(StandardCharsets.UTF_8), 7);
            assertTrue(partition >= 0 && partition < 7);
        }
    }

    @Test
    void emptyKeyHashesLikeKafka() {
        // seed ^ 0 with only the final mix: the value Kafka computes for an empty array
        int h = 0x9747b28c;
        h ^= h >>> 13;
        h *= 0x5bd1e995;
        h ^= h >>> 15;
        assertEquals(h, Murmur2.hash(new byte[0]));
    }
}
