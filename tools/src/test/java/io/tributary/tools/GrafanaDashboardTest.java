package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.tools.internal.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard {@code k8s/grafana/tributary-dashboard.json} is importable anywhere: valid
 * JSON, the Prometheus data source a template variable used by every query, unique panel ids, the
 * panels operators need, and only metrics the README documents. That the broker actually serves
 * every metric it queries is checked against live scrapes by the broker's
 * {@code OperationsMetricsIntegrationTest}.
 */
@Tag("unit")
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("tributary_[a-z0-9_]+");

    private static Path repository() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("k8s/grafana/tributary-dashboard.json"))) {
                return at;
            }
        }
        throw new AssertionError("k8s/grafana/tributary-dashboard.json not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws IOException {
        return (Map<String, Object>) JsonParser.parse(
                Files.readString(repository().resolve("k8s/grafana/tributary-dashboard.json")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void theDataSourceIsATemplateVariableThatEveryQueryUses() throws IOException {
        Map<String, Object> dashboard = dashboard();
        List<Map<String, Object>> variables = list(map(dashboard.get("templating")).get("list"));
        Map<String, Object> datasource = variables.stream().filter(v -> "datasource".equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no datasource variable"));
        assertEquals("datasource", datasource.get("type"));
        assertEquals("prometheus", datasource.get("query"));
        int targets = 0;
        for (Map<String, Object> panel : list(dashboard.get("panels"))) {
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            assertEquals("${datasource}", map(panel.get("datasource")).get("uid"), "panel " + panel.get("title"));
            for (Map<String, Object> target : list(panel.get("targets"))) {
                assertEquals("${datasource}", map(target.get("datasource")).get("uid"), "a query of " + panel.get("title"));
                assertFalse(((String) target.get("expr")).isBlank(), "an empty query in " + panel.get("title"));
                targets++;
            }
        }
        assertTrue(targets > 30, "only " + targets + " queries");
        for (Map<String, Object> variable : variables) {
            if (!"datasource".equals(variable.get("name"))) {
                assertEquals("${datasource}", map(variable.get("datasource")).get("uid"), "variable " + variable.get("name"));
            }
        }
    }

    @Test
    void panelsHaveUniqueIdsAndCoverTheOperationsView() throws IOException {
        List<Map<String, Object>> panels = list(dashboard().get("panels"));
        Set<Object> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            assertTrue(ids.add(panel.get("id")), "duplicate panel id " + panel.get("id"));
            titles.add((String) panel.get("title"));
        }
        for (String needed : List.of("Request rate per method", "Error rate per method", "p99 latency per method",
                "Bytes in", "Bytes out", "Records in", "Records out", "Under-replicated partitions", "Under min ISR",
                "Offline partitions", "ISR shrinks / expands", "Partitions per broker", "Leaders per broker",
                "Log size per topic (all replicas)", "Active controllers", "Raft epoch", "High watermark and log end",
                "Replica lag (active controller)", "Elections (1h)", "Lag per group", "Heap used",
                "GC pause time per second")) {
            assertTrue(titles.contains(needed), "no panel \"" + needed + "\" in " + titles);
        }
    }

    @Test
    void everyQueriedMetricIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(repository().resolve("README.md"));
        int start = readme.indexOf("\n### Metrics\n");
        String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
        Matcher queried = METRIC.matcher(Files.readString(repository().resolve("k8s/grafana/tributary-dashboard.json")));
        int count = 0;
        while (queried.find()) {
            String name = queried.group();
            String base = name.replaceAll("_(bucket|sum|count|max)$", "");
            boolean documented = section.contains("`" + name + "`") || section.contains("`" + base + "`")
                    || documentedByPrefix(section, name);
            assertTrue(documented, "the dashboard queries " + name + ", which README.md's Metrics section does not list");
            count++;
        }
        assertTrue(count > 20, "only " + count + " metric references");
    }

    /** A README entry such as {@code tributary_jvm_memory_*} covers every name it starts. */
    private static boolean documentedByPrefix(String section, String name) {
        Matcher prefixes = Pattern.compile("`(tributary_[a-z0-9_]+)\\*`").matcher(section);
        while (prefixes.find()) {
            if (name.startsWith(prefixes.group(1))) {
                return true;
            }
        }
        return false;
    }
}
