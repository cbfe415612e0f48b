package io.tributary.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.request.RecordConversions;
import io.tributary.broker.request.TopicTraffic;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataPublisher;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client traffic per topic: {@code tributary_bytes_in_total} and {@code tributary_records_in_total}
 * (appended by produce requests this node led), {@code tributary_bytes_out_total} and
 * {@code tributary_records_out_total} (record bytes and records returned to consumers' fetches;
 * replication is not counted), each labelled topic. A deleted
 * topic's counters go (a topic recreated under the name starts from zero).
 */
public final class TopicTrafficMetrics implements TopicTraffic, MetadataPublisher {

    private record TopicCounters(Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
    }

    private final MeterRegistry registry;
    private final Map<String, TopicCounters> topics = new ConcurrentHashMap<>();

    public TopicTrafficMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void produced(String topic, long bytes, long records) {
        TopicCounters counters = counters(topic);
        counters.bytesIn().increment(bytes);
        counters.recordsIn().increment(records);
    }

    @Override
    public void fetched(String topic, ByteBuffer batches, long fetchOffset) {
        TopicCounters counters = counters(topic);
        counters.bytesOut().increment(batches.remaining());
        counters.recordsOut().increment(RecordConversions.countRecords(batches, fetchOffset));
    }

    @Override
    public String name() {
        return "topic-traffic-metrics";
    }

    @Override
    public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        for (String deleted : delta.deletedTopics().keySet()) {
            TopicCounters counters = topics.remove(deleted);
            if (counters != null) {
                registry.remove(counters.bytesIn());
                registry.remove(counters.recordsIn());
                registry.remove(counters.bytesOut());
                registry.remove(counters.recordsOut());
            }
        }
    }

    private TopicCounters counters(String topic) {
        return topics.computeIfAbsent(topic, t -> new TopicCounters(
                Counter.builder("tributary.bytes.in").description("Record batch bytes appended by produce requests")
                        .tag("topic", t).register(registry),
                Counter.builder("tributary.records.in").description("Records appended by produce requests")
                        .tag("topic", t).register(registry),
                Counter.builder("tributary.bytes.out").description("Record bytes returned to consumer fetches")
                        .tag("topic", t).register(registry),
                Counter.builder("tributary.records.out").description("Records returned to consumer fetches")
                        .tag("topic", t).register(registry)));
    }
}
