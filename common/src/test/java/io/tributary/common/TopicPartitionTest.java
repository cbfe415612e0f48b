package io.tributary.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TopicPartitionTest {

    @Test
    void parsesAtTheLastDashSoTopicsMayContainDashes() {
        assertEquals(new TopicPartition("orders-eu", 12), TopicPartition.parse("orders-eu-12"));
        assertEquals("orders-eu-12", new TopicPartition("orders-eu", 12).toString());
    }

    @Test
    void rejectsNamesWithoutAPartitionNumber() {
        assertThrows(IllegalArgumentException.class, () -> TopicPartition.parse("orders"));
        assertThrows(IllegalArgumentException.class, () -> TopicPartition.parse("orders-"));
        assertThrows(IllegalArgumentException.class, () -> TopicPartition.parse("orders-x"));
        assertThrows(IllegalArgumentException.class, () -> TopicPartition.parse("-3"));
        assertThrows(IllegalArgumentException.class, () -> new TopicPartition("t", -1));
    }
}
