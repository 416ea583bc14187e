package org.vaegan.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spark distribution as deploy/yarn/submit.sh and deploy/k8s/submit.sh see it, and those scripts
 * run as processes. Its jars/ are the build's Spark, Hadoop, YARN and Kubernetes jars (no ND4J,
 * none of ours); its bin/spark-submit skips Spark's launcher but does what it does here: the
 * SparkSubmit main, with Java 17's opens and HADOOP_CONF_DIR on the classpath.
 */
final class SparkDistribution {
    private SparkDistribution() {
    }

    /** SPARK_HOME under {@code dir}; {@code jvmOptions} go to the spark-submit JVM (the driver in client mode). */
    static Path create(Path dir, String jvmOptions) throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark"));
        Files.createSymbolicLink(home.resolve("jars"), BuiltArtifacts.sparkDistJars());
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\n"
                + "exec \"$JAVA_HOME/bin/java\" " + jvmOptions + " " + BuiltArtifacts.javaOpens()
                + " -cp \"${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        assertTrue(submit.toFile().setExecutable(true));
        return home;
    }

    record Finished(int exitCode, String output) {
    }

    /** Runs a submit script to its end, its output (stdout and stderr) kept in {@code log}. */
    static Finished run(ProcessBuilder pb, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(finished, String.join(" ", pb.command()) + " still running after " + timeoutSeconds + " s; output:\n"
                + (output.length() <= 6000 ? output : "..." + output.substring(output.length() - 6000)));
        return new Finished(p.exitValue(), output);
    }
}
