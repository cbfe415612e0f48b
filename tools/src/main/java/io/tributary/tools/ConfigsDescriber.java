package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigEntry.ConfigSource;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.admin.DescribeConfigsOptions;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * {@code configs --describe} output, in kafka-configs.sh's shape: a header per entity, then one line
 * per config: {@code  name=value sensitive=false synonyms={SOURCE:name=value, ...}}. Without
 * {@code --all} only the entity's own dynamic configs are shown; with it, every config. JSON gives
 * the same data as one line.
 */
final class ConfigsDescriber {

    private final Admin admin;
    private final PrintWriter out;
    private final boolean all;
    private final boolean json;

    ConfigsDescriber(Admin admin, PrintWriter out, boolean all, boolean json) {
        this.admin = admin;
        this.out = out;
        this.all = all;
        this.json = json;
    }

    /** "topic 't'", "broker 1", or "the broker default", for messages. */
    static String describe(ConfigResource resource) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            return "topic '" + resource.name() + "'";
        }
        return resource.isDefault() ? "the broker default" : "broker " + resource.name();
    }

    void describe(List<ConfigResource> resources) throws InterruptedException {
        Map<ConfigResource, CompletableFuture<Config>> described = admin.describeConfigs(resources,
                new DescribeConfigsOptions().includeSynonyms(true)).values();
        List<Object> entities = new ArrayList<>();
        for (ConfigResource resource : resources) {
            List<ConfigEntry> entries = shown(resource, configs(resource, described.get(resource)));
            if (json) {
                entities.add(Json.object("entityType", resource.type() == ConfigResource.Type.TOPIC
                        ? ConfigsCommand.TOPICS : ConfigsCommand.BROKERS, "entityName", resource.name(),
                        "configs", entries.stream().map(ConfigsDescriber::json).toList()));
            } else {
                out.println(header(resource));
                entries.forEach(entry -> out.println("  " + text(entry)));
            }
        }
        if (json) {
            out.println(Json.write(entities));
        }
    }

    private static Config configs(ConfigResource resource, CompletableFuture<Config> future)
            throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw timeout;
            }
            String message = e.getCause() instanceof TributaryException ? e.getCause().getMessage()
                    : String.valueOf(e.getCause());
            throw new CommandException("could not describe the configs of " + describe(resource) + ": " + message,
                    e.getCause());
        }
    }

    /** Every entry with --all; else those set at the entity's own dynamic level, as kafka-configs.sh shows. */
    private List<ConfigEntry> shown(ConfigResource resource, Config config) {
        ConfigSource own = resource.type() == ConfigResource.Type.TOPIC ? ConfigSource.DYNAMIC_TOPIC_CONFIG
                : resource.isDefault() ? ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG : ConfigSource.DYNAMIC_BROKER_CONFIG;
        return config.entries().stream().filter(entry -> all || entry.source() == own).toList();
    }

    private String header(ConfigResource resource) {
        String scope = all ? "All" : "Dynamic";
        if (resource.type() == ConfigResource.Type.TOPIC) {
            return scope + " configs for topic " + resource.name() + " are:";
        }
        return resource.isDefault() ? "Default configs for brokers in the cluster are:"
                : scope + " configs for broker " + resource.name() + " are:";
    }

    private static String text(ConfigEntry entry) {
        String synonyms = entry.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + value(s.value(),
                entry.isSensitive())).collect(Collectors.joining(", "));
        return entry.name() + "=" + value(entry.value(), entry.isSensitive()) + " sensitive=" + entry.isSensitive()
                + " synonyms={" + synonyms + "}";
    }

    private static String value(String value, boolean sensitive) {
        return sensitive || value == null ? "null" : value;
    }

    private static Map<String, Object> json(ConfigEntry entry) {
        return Json.object("name", entry.name(), "value", entry.isSensitive() ? null : entry.value(),
                "source", entry.source().name(), "readOnly", entry.isReadOnly(), "sensitive", entry.isSensitive(),
                "synonyms", entry.synonyms().stream().map(s -> Json.object("name", s.name(), "value",
                        entry.isSensitive() ? null : s.value(), "source", s.source().name())).toList());
    }
}
