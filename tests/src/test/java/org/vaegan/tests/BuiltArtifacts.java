package org.vaegan.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the build made for the cluster tests: the application jar, a Spark distribution's jars, the repository. */
final class BuiltArtifacts {
    private BuiltArtifacts() {
    }

    static Path repo() {
        return Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();
    }

    /** spark-job's shaded jar, as spark-submit gets it. */
    static Path appJar() {
        Path jar = Path.of(System.getProperty("vaegan.app.jar", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "no application jar at " + jar + " (mvn package builds it)");
        return jar;
    }

    /** Spark, Hadoop and YARN jars only (no ND4J, none of ours), as in a stock Spark distribution. */
    static Path sparkDistJars() {
        Path jars = Path.of(System.getProperty("vaegan.spark.dist", "target/spark-dist")).resolve("jars").toAbsolutePath();
        assertTrue(Files.isDirectory(jars), "no Spark jars at " + jars + " (mvn verify copies them)");
        return jars;
    }

    /** Java 17's --add-opens for Spark, as bin/vaegan passes them. */
    static String javaOpens() throws IOException {
        return Files.readString(repo().resolve("bin/java-opens.txt")).replace("\n", " ").strip();
    }
}
