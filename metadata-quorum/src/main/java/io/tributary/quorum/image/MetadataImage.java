package io.tributary.quorum.image;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster metadata as of one offset of the metadata log: topics, partitions, configs and
 * brokers. Immutable; a new image is produced by {@link MetadataDelta#apply()} for every committed
 * batch, and readers on any thread may hold on to an image safely.
 *
 * @param lastOffset     the last metadata log offset folded into this image, -1 for the empty image
 * @param nextProducerId the first producer id not yet handed out
 * @param brokerConfigs  dynamic broker configs (broker key names) by resource name: a broker id as text,
 *                       or {@link #CLUSTER_DEFAULT} for the default of every broker; never an empty map
 */
public record MetadataImage(long lastOffset, SortedMap<String, TopicImage> topicsByName,
                            Map<String, String> topicNamesById, SortedMap<Integer, BrokerImage> brokers,
                            long nextProducerId, SortedMap<String, Map<String, String>> brokerConfigs) {

    /** The broker-config resource name of the cluster-wide default ({@code --entity-default}). */
    public static final String CLUSTER_DEFAULT = "";

    public static final MetadataImage EMPTY = new MetadataImage(-1L, new TreeMap<>(), Map.of(), new TreeMap<>(), 0L,
            new TreeMap<>());

    public MetadataImage {
        topicsByName = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(topicsByName));
        topicNamesById = Map.copyOf(topicNamesById);
        brokers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(brokers));
        TreeMap<String, Map<String, String>> configs = new TreeMap<>();
        brokerConfigs.forEach((name, values) -> configs.put(name, Map.copyOf(values)));
        brokerConfigs = java.util.Collections.unmodifiableSortedMap(configs);
    }

    /** The dynamic configs of a broker id ("1") or of the cluster default (""); empty when none are set. */
    public Map<String, String> brokerConfigs(String resourceName) {
        return brokerConfigs.getOrDefault(resourceName, Map.of());
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicImage> topicById(String topicId) {
        return Optional.ofNullable(topicNamesById.get(topicId)).map(topicsByName::get);
    }

    /** Brokers that are registered, not fenced and not shutting down: where new replicas may go. */
    public long liveBrokerCount() {
        return brokers.values().stream().filter(BrokerImage::active).count();
    }

    public Optional<BrokerImage> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }
}
