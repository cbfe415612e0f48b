package io.tributary.broker.request;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.proto.v1.AlterConfigsResource;
import io.tributary.proto.v1.ConfigResource;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.DescribeConfigsRequest;
import io.tributary.proto.v1.DescribeConfigsResource;
import io.tributary.proto.v1.DescribeConfigsResponse;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.transport.ControllerClient;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * DescribeConfigs and IncrementalAlterConfigs: describes are answered here from the current
 * metadata image and this node's static configs ({@link ConfigDescriber}); alters are checked for
 * request-level mistakes and forwarded to the active controller, which validates and records them.
 * Thread-safe.
 */
public final class ConfigsHandler {

    /**
     * This node's static configuration, as describes show it.
     *
     * @param definition    every broker key, with its documentation
     * @param values        every key's static value as text
     * @param explicitlySet the keys server.properties or the environment set (the others are defaults)
     */
    public record StaticConfigs(ConfigDef definition, Map<String, String> values, Set<String> explicitlySet) {

        public StaticConfigs {
            values = Map.copyOf(values);
            explicitlySet = Set.copyOf(explicitlySet);
        }
    }

    private final ConfigDescriber describer;
    private final Supplier<MetadataImage> image;
    private final ControllerClient controller;

    public ConfigsHandler(int nodeId, StaticConfigs staticConfigs, Supplier<MetadataImage> image,
                          ControllerClient controller) {
        this.describer = new ConfigDescriber(nodeId, staticConfigs);
        this.image = image;
        this.controller = controller;
    }

    /** @throws InvalidRequestException when the request is empty, names a resource twice or one without a type */
    public DescribeConfigsResponse describeConfigs(DescribeConfigsRequest request) {
        uniqueResources(request.getResourcesList().stream().map(DescribeConfigsResource::getResource).toList());
        MetadataImage current = image.get();
        DescribeConfigsResponse.Builder response = DescribeConfigsResponse.newBuilder();
        for (DescribeConfigsResource resource : request.getResourcesList()) {
            response.addResults(describer.describe(current, resource, request.getIncludeSynonyms(),
                    request.getIncludeDocumentation()));
        }
        return response.build();
    }

    /** @throws InvalidRequestException when the request is empty, names a resource twice or one without a type */
    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest request) {
        uniqueResources(request.getResourcesList().stream().map(AlterConfigsResource::getResource).toList());
        return controller.incrementalAlterConfigs(request);
    }

    private static void uniqueResources(List<ConfigResource> resources) {
        RequestChecks.nonEmpty("resources", resources.size());
        Set<ConfigResource> seen = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            ConfigResource resource = resources.get(i);
            if (resource.getType() != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                    && resource.getType() != ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER) {
                throw new InvalidRequestException("resources[" + i + "].type must be CONFIG_RESOURCE_TYPE_TOPIC or "
                        + "CONFIG_RESOURCE_TYPE_BROKER");
            }
            if (!seen.add(resource)) {
                throw new InvalidRequestException("resources names " + resource.getType() + " '" + resource.getName()
                        + "' more than once");
            }
        }
    }
}
