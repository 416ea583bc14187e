package org.vaegan.core.report;

import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaegan.core.io.RunFiles;
import org.vaegan.core.io.RunLayout;

import java.io.IOException;

/** Writes a run's report.html from what its folder holds now (during training, at its end, or on demand). */
public final class RunReport {
    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

    private RunReport() {
    }

    /** Reads the run folder and (re)writes its report.html atomically; returns the report's path. */
    public static Path write(RunLayout layout) throws IOException {
        long start = System.nanoTime();
        ReportContents contents = ReportContents.read(layout);
        RunFiles.writeAtomically(layout.fs(), layout.report(), ReportHtml.render(contents));
        LOG.debug("report {} written in {} ms", layout.report(), (System.nanoTime() - start) / 1_000_000);
        return layout.report();
    }

    /**
     * As {@link #write}, but a failure is logged instead of thrown: training must not stop
     * because its report could not be written.
     */
    public static void writeQuietly(RunLayout layout) {
        try {
            write(layout);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the report {}: {}", layout.report(), e.toString());
        }
    }
}
