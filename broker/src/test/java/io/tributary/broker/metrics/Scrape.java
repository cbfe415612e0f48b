package io.tributary.broker.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One real HTTP scrape of a node's /metrics, parsed from the Prometheus text format. */
record Scrape(int status, String contentType, List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** GETs {@code http://127.0.0.1:<port>/metrics}. */
    static Scrape of(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
            List<Sample> samples = new ArrayList<>();
            for (String line : response.body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line.strip());
                if (!m.matches()) {
                    throw new AssertionError("not a Prometheus sample line: " + line);
                }
                Map<String, String> labels = new HashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, number(m.group(4))));
            }
            return new Scrape(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), samples);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The one sample named {@code name} whose labels include {@code labels}, if any. */
    OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (matching.size() > 1) {
            throw new AssertionError(matching.size() + " samples match " + name + labels + ": " + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    OptionalDouble value(String name) {
        return value(name, Map.of());
    }

    /** The sample's value; fails naming the sample when it is missing. */
    double get(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    double get(String name) {
        return get(name, Map.of());
    }

    /** The sum over every sample named {@code name} whose labels include {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
