package org.vaegan.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.vaegan.core.config.InvalidConfigException;
import org.vaegan.core.config.ModelVariant;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a run's {@link ReportContents} as one static HTML page: uPlot and the metrics are
 * inlined, pictures are referenced relative to the run folder (report.html sits at its root), so
 * the page opens from disk with no server and no network.
 */
public final class ReportHtml {
    /** The page's sections, in order; each is an element with this id. */
    public static final List<String> SECTIONS = List.of("summary", "losses", "samples", "evaluation", "timings", "config");

    /** Charts: element id, title, then metric paths (dots into nested objects) with their legend labels. */
    static final List<Chart> CHARTS = List.of(
            new Chart("chart-prior", "L_prior (KL, per image)", List.of("l_prior", "L_prior")),
            new Chart("chart-llike", "L_llike (Dis_l, per image)", List.of("l_llike", "L_llike")),
            new Chart("chart-gan", "L_GAN (discriminator) and the decoder's adversarial term", List.of("l_gan", "L_GAN", "l_generator", "generator")),
            new Chart("chart-pixel", "L_pixel (per image; 0 unless loss.pixel-weight > 0 or variant vae)", List.of("l_pixel", "L_pixel")),
            new Chart("chart-scores", "Discriminator scores: -log D(x), -log(1 - D(Dec(z_p)))", List.of("d_real", "real", "d_fake", "fake")),
            new Chart("chart-gate", "Steps held back (all partitions)", List.of("gate.discriminator_skipped", "discriminator (gate)",
                    "gate.decoder_skipped", "decoder (gate)", "skipped_steps", "non-finite")),
            new Chart("chart-throughput", "Images per second", List.of("images_per_s", "images/s")),
            new Chart("chart-time", "Round time split (s)", List.of("time_s.round", "round", "time_s.compute_max", "compute (slowest)",
                    "time_s.broadcast_and_aggregate", "broadcast + aggregate", "time_s.average", "average", "time_s.samples", "samples")),
            new Chart("chart-memory", "Memory (MiB)", List.of("driver_memory_mib.rss", "driver RSS", "driver_memory_mib.peak_rss",
                    "driver peak RSS", "executor_memory_mib.peak_rss_max", "executor peak RSS (max)", "driver_memory_mib.nd4j_off_heap",
                    "driver ND4J off-heap")),
            new Chart("chart-lr", "Learning rate", List.of("learning_rate", "learning rate")));

    private static final ObjectMapper JSON = new ObjectMapper();

    record Chart(String id, String title, List<String> pathsAndLabels) {
    }

    private ReportHtml() {
    }

    public static String render(ReportContents c) {
        StringBuilder h = new StringBuilder(128 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>vaegan run ")
                .append(esc(c.runName())).append("</title>\n<style>\n").append(ChartLibrary.style()).append('\n').append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>vaegan run <code>").append(esc(c.runName())).append("</code></h1>\n");
        h.append("<p class=\"muted\">").append(esc(c.root().toString())).append(" &middot; report written ")
                .append(esc(Instant.now().toString())).append("</p>\n");
        h.append("<nav>");
        for (String s : SECTIONS) {
            h.append("<a href=\"#").append(s).append("\">").append(s).append("</a> ");
        }
        h.append("</nav>\n<pre id=\"report-errors\"></pre>\n");
        summary(h, c);
        losses(h, c);
        samples(h, c);
        evaluation(h, c);
        timings(h, c);
        config(h, c);
        h.append("<script type=\"application/json\" id=\"metrics-data\">").append(scriptSafe(toJson(c.metrics())))
                .append("</script>\n");
        h.append("<script type=\"application/json\" id=\"chart-specs\">").append(scriptSafe(chartSpecs())).append("</script>\n");
        h.append("<script>\n/* uPlot ").append("(https://github.com/leeoniya/uPlot), inlined from its webjar.\n")
                .append(ChartLibrary.licence().replace("*/", "* /")).append("*/\n").append(ChartLibrary.script()).append("\n</script>\n");
        h.append("<script>\n").append(DRAW_CHARTS).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, ReportContents c) {
        h.append("<section id=\"summary\"><h2>Summary</h2>\n<table>\n");
        // run.json's config is the vaegan tree itself (keys without the prefix).
        JsonNode config = c.run().path("config").has("vaegan") ? c.run().path("config").path("vaegan") : c.run().path("config");
        JsonNode last = c.metrics().isEmpty() ? null : c.metrics().get(c.metrics().size() - 1);
        row(h, "rounds", last == null ? "none yet" : last.path("round").asText() + " of " + config.path("train").path("rounds").asText("?"));
        if (last != null) {
            row(h, "step (per replica)", last.path("step").asText());
            row(h, "images seen", last.path("images").asText());
            row(h, "last losses", lastLosses(config, last));
            double seconds = 0;
            for (JsonNode m : c.metrics()) {
                seconds += m.path("time_s").path("round").asDouble();
            }
            row(h, "training time (sum of rounds)", String.format(Locale.ROOT, "%.1f s", seconds));
        }
        row(h, "model", config.path("model").path("variant").asText("?") + ", " + config.path("model").path("image-size").asText("?")
                + "x" + config.path("model").path("image-size").asText("?") + "x" + config.path("model").path("channels").asText("?")
                + ", latent " + config.path("model").path("latent").asText("?"));
        row(h, "data", c.run().path("data").path("source").asText("?") + " " + c.run().path("data").path("path").asText(""));
        row(h, "started", c.run().path("started").asText("?"));
        row(h, "Spark", c.run().path("spark_master").asText("?") + " " + c.run().path("spark_app_id").asText(""));
        h.append("</table></section>\n");
    }

    private static void losses(StringBuilder h, ReportContents c) {
        h.append("<section id=\"losses\"><h2>Loss curves and round figures</h2>\n");
        if (c.metrics().isEmpty()) {
            h.append("<p>No round has finished yet.</p>\n");
        }
        h.append("<div class=\"charts\">\n");
        for (Chart chart : CHARTS) {
            h.append("<div class=\"chart\" id=\"").append(chart.id()).append("\"></div>\n");
        }
        h.append("</div></section>\n");
    }

    private static void samples(StringBuilder h, ReportContents c) {
        h.append("<section id=\"samples\"><h2>Samples and reconstructions</h2>\n");
        if (c.samples().isEmpty()) {
            h.append("<p>No sample grid yet (written every vaegan.output.sample-every-rounds rounds and after the last).</p>\n");
        } else {
            ReportContents.RoundFile latest = c.samples().get(c.samples().size() - 1);
            h.append("<p>Left: samples from the prior (the same codes every round). Right: held-out images (odd rows) above their "
                    + "reconstructions (even rows).</p>\n");
            h.append("<figure><img class=\"latest\" src=\"").append(esc(latest.relativePath())).append("\" alt=\"round ")
                    .append(latest.round()).append("\"><figcaption>round ").append(latest.round()).append(" (latest)</figcaption></figure>\n");
            h.append("<h3>Over rounds</h3>\n<div class=\"gallery\">\n");
            for (ReportContents.RoundFile f : c.samples()) {
                h.append("<figure><a href=\"").append(esc(f.relativePath())).append("\"><img loading=\"lazy\" src=\"")
                        .append(esc(f.relativePath())).append("\" alt=\"round ").append(f.round()).append("\"></a><figcaption>round ")
                        .append(f.round()).append("</figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static void evaluation(StringBuilder h, ReportContents c) {
        h.append("<section id=\"evaluation\"><h2>Evaluation</h2>\n");
        if (c.evaluations().isEmpty()) {
            h.append("<p>No evaluation yet: <code>vaegan evaluate --model ").append(esc(c.root().toString()))
                    .append(" --data HELD_OUT</code> adds its figures here.</p>\n");
        } else {
            h.append("<p>Reconstruction error and SSIM on held-out images; Laplacian variance (sharpness) of real images, "
                    + "reconstructions and samples; Frechet distance to the real images in the feature space of the Fashion-MNIST "
                    + "classifier; the classifier's accuracy on real images and on reconstructions.</p>\n");
            transposedTable(h, c.evaluations());
        }
        h.append("</section>\n");
    }

    private static void timings(StringBuilder h, ReportContents c) {
        h.append("<section id=\"timings\"><h2>Timings per round</h2>\n");
        if (c.metrics().isEmpty()) {
            h.append("<p>No round has finished yet.</p>\n");
        } else {
            table(h, c.metrics(), Set.of("round", "images_per_s", "time_s", "skipped_steps", "driver_memory_mib", "executor_memory_mib"));
        }
        h.append("</section>\n");
    }

    private static void config(StringBuilder h, ReportContents c) {
        h.append("<section id=\"config\"><h2>Config and run</h2>\n<pre>");
        try {
            h.append(esc(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c.run())));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        h.append("</pre></section>\n");
    }

    /** A table of JSON objects, one row each, a column per numeric or text leaf ({@code a.b} for nested keys). */
    private static void table(StringBuilder h, List<JsonNode> rows, Set<String> onlyTopKeys) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode r : rows) {
            leaves(r, "", columns, onlyTopKeys);
        }
        h.append("<div class=\"scroll\"><table class=\"data\"><tr>");
        for (String col : columns) {
            h.append("<th>").append(esc(col)).append("</th>");
        }
        h.append("</tr>\n");
        for (JsonNode r : rows) {
            h.append("<tr>");
            for (String col : columns) {
                h.append("<td>").append(esc(fmt(at(r, col)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    /** One column per JSON object (an evaluated round), one row per leaf: long paths and many figures stay readable. */
    private static void transposedTable(StringBuilder h, List<JsonNode> columns) {
        Set<String> rows = new LinkedHashSet<>();
        for (JsonNode c : columns) {
            leaves(c, "", rows, null);
        }
        h.append("<div class=\"scroll\"><table class=\"data\"><tr><th>figure</th>");
        for (JsonNode c : columns) {
            h.append("<th>round ").append(esc(c.path("round").asText("?"))).append("</th>");
        }
        h.append("</tr>\n");
        for (String row : rows) {
            h.append("<tr><th>").append(esc(row)).append("</th>");
            for (JsonNode c : columns) {
                h.append("<td>").append(esc(fmt(at(c, row)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");
    }

    private static void leaves(JsonNode node, String prefix, Set<String> out, Set<String> onlyTopKeys) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (prefix.isEmpty() && onlyTopKeys != null && !onlyTopKeys.contains(e.getKey())) {
                continue;
            }
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                leaves(e.getValue(), key + ".", out, null);
            } else if (!e.getValue().isArray()) {
                out.add(key);
            }
        }
    }

    private static JsonNode at(JsonNode node, String dotted) {
        JsonNode n = node;
        for (String k : dotted.split("\\.")) {
            n = n.path(k);
        }
        return n;
    }

    private static String fmt(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            return d != 0 && (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e6) ? String.format(Locale.ROOT, "%.3e", d)
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        return v.asText();
    }

    /** The loss terms the run's variant trains on (a pixel-wise VAE has no L_llike, a GAN no L_prior). */
    private static String lastLosses(JsonNode config, JsonNode last) {
        String key = config.path("model").path("variant").asText(ModelVariant.VAEGAN.key());
        ModelVariant variant;
        try {
            variant = ModelVariant.parse("vaegan.model.variant", key);
        } catch (InvalidConfigException e) {
            variant = ModelVariant.VAEGAN;
        }
        List<String> terms = new ArrayList<>();
        if (variant.hasEncoder()) {
            terms.add("L_prior " + fmt(last.path("l_prior")));
        }
        if (variant.featureLikelihood()) {
            terms.add("L_llike " + fmt(last.path("l_llike")));
        }
        if (variant.pixelLikelihood() || last.path("l_pixel").asDouble() != 0) {
            terms.add("L_pixel " + fmt(last.path("l_pixel")));
        }
        if (variant.hasDiscriminator()) {
            terms.add("L_GAN " + fmt(last.path("l_gan")));
        }
        return String.join(", ", terms);
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static String chartSpecs() {
        ArrayNode specs = JSON.createArrayNode();
        for (Chart chart : CHARTS) {
            var spec = specs.addObject();
            spec.put("id", chart.id());
            spec.put("title", chart.title());
            ArrayNode series = spec.putArray("series");
            for (int i = 0; i < chart.pathsAndLabels().size(); i += 2) {
                series.addObject().put("path", chart.pathsAndLabels().get(i)).put("label", chart.pathsAndLabels().get(i + 1));
            }
        }
        return specs.toString();
    }

    private static String toJson(List<JsonNode> nodes) {
        ArrayNode array = JSON.createArrayNode();
        nodes.forEach(array::add);
        return array.toString();
    }

    /** JSON inside a script element: "</" would end the element early. */
    private static String scriptSafe(String json) {
        return json.replace("</", "<\\/");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            h1 code { font-size: 0.9em; }
            nav a { margin-right: 0.8em; }
            .muted { color: #666; font-size: 0.9em; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
            table.data td { text-align: right; font-variant-numeric: tabular-nums; }
            .scroll { overflow-x: auto; max-height: 28em; overflow-y: auto; }
            .charts { display: flex; flex-wrap: wrap; gap: 12px; }
            .chart { min-height: 40px; }
            img { image-rendering: pixelated; border: 1px solid #ccc; }
            img.latest { max-width: 100%; }
            .gallery { display: flex; flex-wrap: wrap; gap: 8px; }
            .gallery img { width: 260px; }
            figure { margin: 0; }
            figcaption { font-size: 0.8em; color: #555; }
            pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 0.8em; }
            #report-errors:empty { display: none; }
            #report-errors { color: #a00; }
            """;

    /** Draws every chart of #chart-specs from #metrics-data; marks the body with how many were drawn and lists errors. */
    private static final String DRAW_CHARTS = """
            (function () {
              var errors = document.getElementById('report-errors');
              window.addEventListener('error', function (e) { errors.textContent += 'error: ' + e.message + '\\n'; });
              try {
                var rows = JSON.parse(document.getElementById('metrics-data').textContent);
                var specs = JSON.parse(document.getElementById('chart-specs').textContent);
                var colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
                var at = function (o, path) {
                  return path.split('.').reduce(function (a, k) { return a == null ? null : a[k]; }, o);
                };
                var x = rows.map(function (r) { return r.round; });
                // uPlot's default ticks round small values (a learning rate of 3e-4) to 0.
                var tick = function (v) {
                  if (v == null) { return ''; }
                  var a = Math.abs(v);
                  return a !== 0 && (a < 0.01 || a >= 1e5) ? v.toExponential(1) : String(+v.toPrecision(4));
                };
                var drawn = 0;
                specs.forEach(function (spec) {
                  var series = [{ label: 'round' }];
                  var columns = [x];
                  spec.series.forEach(function (s, i) {
                    series.push({ label: s.label, stroke: colours[i % colours.length], width: 1.5, points: { show: rows.length < 60 } });
                    columns.push(rows.map(function (r) { var v = at(r, s.path); return typeof v === 'number' ? v : null; }));
                  });
                  new uPlot({ title: spec.title, width: 560, height: 260, series: series, scales: { x: { time: false } },
                              axes: [{ label: 'round', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }, { size: 70, values: function (u, splits) { return splits.map(tick); } }] }, columns, document.getElementById(spec.id));
                  drawn++;
                });
                document.body.setAttribute('data-charts-drawn', String(drawn));
              } catch (e) {
                errors.textContent += 'error: ' + e + '\\n';
              }
            })();
            """;
}
