package org.vaegan.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run folder holds that the report shows: run.json, the metrics lines, the sample grids
 * (by round) and the evaluation figures (by round). Read through the run's Hadoop FileSystem; a
 * missing piece is an empty list, so a report can be written after the first round.
 *
 * @param samples     sample grids, oldest round first, as paths relative to the run folder
 * @param evaluations the JSON objects written by {@code evaluate}, oldest round first
 */
public record ReportContents(String runName, Path root, JsonNode run, List<JsonNode> metrics, List<RoundFile> samples,
                             List<JsonNode> evaluations) {
    private static final Logger LOG = LoggerFactory.getLogger(ReportContents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROUND_FILE = Pattern.compile("round-(\\d{6})\\.(png|json)");

    /** A file of one round, e.g. {@code samples/round-000012.png}. */
    public record RoundFile(long round, String relativePath) {
    }

    public static ReportContents read(RunLayout layout) throws IOException {
        FileSystem fs = layout.fs();
        JsonNode run = fs.exists(layout.runJson()) ? JSON.readTree(RunFiles.readText(fs, layout.runJson())) : MissingNode.getInstance();
        List<JsonNode> metrics = new ArrayList<>();
        if (fs.exists(layout.metrics())) {
            for (String line : RunFiles.readText(fs, layout.metrics()).split("\n")) {
                if (!line.isBlank()) {
                    metrics.add(JSON.readTree(line));
                }
            }
        }
        List<RoundFile> samples = roundFiles(fs, layout.samplesDir(), "png");
        List<JsonNode> evaluations = new ArrayList<>();
        for (RoundFile f : roundFiles(fs, layout.evaluationsDir(), "json")) {
            Path path = new Path(layout.root(), f.relativePath());
            try {
                evaluations.add(JSON.readTree(RunFiles.readText(fs, path)));
            } catch (IOException e) {
                // One damaged file must not cost the whole report.
                LOG.warn("report: skipping unreadable evaluation {}: {}", path, e.toString());
            }
        }
        return new ReportContents(layout.root().getName(), layout.root(), run, metrics, samples, evaluations);
    }

    private static List<RoundFile> roundFiles(FileSystem fs, Path dir, String extension) throws IOException {
        List<RoundFile> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        for (FileStatus status : fs.listStatus(dir)) {
            Matcher m = ROUND_FILE.matcher(status.getPath().getName());
            if (status.isFile() && m.matches() && m.group(2).equals(extension)) {
                files.add(new RoundFile(Long.parseLong(m.group(1)), dir.getName() + "/" + status.getPath().getName()));
            }
        }
        files.sort(Comparator.comparingLong(RoundFile::round));
        return files;
    }
}
