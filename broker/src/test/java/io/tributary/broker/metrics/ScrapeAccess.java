package io.tributary.broker.metrics;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/** Scrapes for tests outside this package. */
public final class ScrapeAccess {

    private ScrapeAccess() {
    }

    /** The value of the unlabelled metric {@code name} at {@code http://127.0.0.1:<port>/metrics}. */
    public static double get(int port, String name) {
        return Scrape.of(port).get(name);
    }

    /** The one sample named {@code name} whose labels include {@code labels}, if served. */
    public static OptionalDouble value(int port, String name, Map<String, String> labels) {
        return Scrape.of(port).value(name, labels);
    }

    /** The labels and value of every sample named {@code name}. */
    public static Map<Map<String, String>, Double> samples(int port, String name) {
        return Scrape.of(port).samples().stream().filter(s -> s.name().equals(name))
                .collect(Collectors.toMap(Scrape.Sample::labels, Scrape.Sample::value));
    }

    /** The names of every sample served. */
    public static Set<String> names(int port) {
        return Scrape.of(port).samples().stream().map(Scrape.Sample::name).collect(Collectors.toSet());
    }

    /** Every {@code tributary_*} metric name a Grafana dashboard's queries use. */
    public static Set<String> dashboardMetricNames(String dashboardJson) {
        java.util.regex.Matcher names = java.util.regex.Pattern.compile("tributary_[a-z0-9_]+").matcher(dashboardJson);
        Set<String> found = new java.util.TreeSet<>();
        while (names.find()) {
            found.add(names.group());
        }
        return found;
    }
}
