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
