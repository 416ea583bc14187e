package org.vaegan.core.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * uPlot (MIT licence), read from its webjar on the classpath so that report.html can inline it:
 * the report then opens from disk with no server and no network.
 */
final class ChartLibrary {
    private static final String ROOT = "/META-INF/resources/webjars/uplot/" + version() + "/";

    private static volatile String script;
    private static volatile String style;

    private ChartLibrary() {
    }

    static String script() {
        if (script == null) {
            script = resource("dist/uPlot.iife.min.js");
        }
        return script;
    }

    static String style() {
        if (style == null) {
            style = resource("dist/uPlot.min.css");
        }
        return style;
    }

    static String licence() {
        return resource("LICENSE");
    }

    /** The webjar's version, from its Maven metadata, so a version bump in the pom needs no code change. */
    private static String version() {
        try (InputStream in = ChartLibrary.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar (org.webjars.npm:uplot) is not on the classpath; the report needs it");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uPlot webjar's version", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ChartLibrary.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("uPlot webjar lacks " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name, e);
        }
    }
}
