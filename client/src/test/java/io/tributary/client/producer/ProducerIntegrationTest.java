package io.tributary.client.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.TestRecords;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.proto.v1.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ProducerIntegrationTest {

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrap());
        config.put("key.serializer", StringSerializer.class);
        config.put("value.serializer", StringSerializer.class.getName());
        return config;
    }

    @Test
    void sendsRecordsInOrderAndReportsTheirOffsets() throws Exception {
        node.createTopic("orders", 1, Map.of());
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (Producer<String, String> producer = new TributaryProducer<>(config())) {
            for (int i = 0; i < 1000; i++) {
                futures.add(producer.send(new ProducerRecord<>("orders", "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < futures.size(); i++) {
                assertTrue(futures.get(i).isDone());
                assertEquals(i, futures.get(i).get().offset());
            }
        }
        List<Record> records = TestRecords.readAll(node, "orders", 0);
        assertEquals(1000, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals("v" + i, records.get(i).getValue().toStringUtf8());
        }
    }
}
