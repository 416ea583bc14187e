package org.vaegan.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar alone on a plain Spark classpath ({@code java -cp <jar>:<spark jars>/*},
 * local[2]) trains: a missing native classifier, a services file lost in shading or a class that
 * only the build's classpath had would fail here.
 */
class ShadedJarIT {
    @Test
    void theApplicationJarTrainsOnAPlainSparkClasspath(@TempDir Path dir) throws Exception {
        Path nativeCache = dir.resolve("javacpp-cache");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=1G", "-Djava.awt.headless=true", "-Dspark.ui.enabled=false",
                // JavaCPP unpacks native libraries into a folder named after the jar they came from.
                "-Dorg.bytedeco.javacpp.cachedir=" + nativeCache));
        cmd.addAll(Arrays.asList(BuiltArtifacts.javaOpens().split(" +")));
        cmd.addAll(List.of("-cp", BuiltArtifacts.appJar() + File.pathSeparator + BuiltArtifacts.sparkDistJars() + "/*",
                "org.vaegan.spark.cli.VaeganMain", "train"));
        for (String set : CliRun.with(CliRun.SMALL_MODEL, "train.rounds=1", "output.dir=" + dir.resolve("runs"), "run.name=plain")) {
            cmd.add("--set");
            cmd.add(set);
        }
        Path log = dir.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "still running after 240 s:\n" + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("run finished"), output);
        assertTrue(Files.isRegularFile(dir.resolve("runs/plain/checkpoints/round-000001/manifest.json")), output);

        String jarName = BuiltArtifacts.appJar().getFileName().toString();
        try (Stream<Path> files = Files.walk(nativeCache)) {
            List<String> libraries = files.map(Path::toString).filter(f -> f.endsWith("libnd4jcpu.so")).toList();
            assertTrue(!libraries.isEmpty() && libraries.stream().allMatch(f -> f.contains(File.separator + jarName + File.separator)),
                    "ND4J's native library should come out of " + jarName + ", got " + libraries);
        }
    }
}
