package org.vaegan.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * metrics.jsonl: one JSON object per round. The whole file is rewritten atomically each round,
 * because append is missing on object stores and on Hadoop's checksummed local file system.
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunLayout layout;
    private final List<String> lines = new ArrayList<>();

    public MetricsLog(RunLayout layout) {
        this.layout = layout;
    }

    /**
     * The log of a resumed run: keeps the lines of rounds up to {@code lastRound} (those the
     * checkpoint holds) and drops later ones, which the resumed rounds write again.
     */
    public static MetricsLog continuing(RunLayout layout, long lastRound) throws IOException {
        MetricsLog log = new MetricsLog(layout);
        if (layout.fs().exists(layout.metrics())) {
            for (String line : RunFiles.readText(layout.fs(), layout.metrics()).split("\n")) {
                if (!line.isBlank() && JSON.readTree(line).path("round").asLong(Long.MAX_VALUE) <= lastRound) {
                    log.lines.add(line);
                }
            }
        }
        return log;
    }

    public ObjectNode newLine() {
        return JSON.createObjectNode();
    }

    public void append(ObjectNode line) throws IOException {
        try {
            lines.add(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode metrics line", e);
        }
        RunFiles.writeAtomically(layout.fs(), layout.metrics(), String.join("\n", lines) + "\n");
    }
}
