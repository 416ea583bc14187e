package org.vaegan.tests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/native-allocator.sh, which bin/vaegan and deploy/local/submit.sh source to choose ND4J's C allocator. */
class NativeAllocatorScriptTest {
    private static final Path REPO = Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEBIAN_JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    private record Ran(int exitCode, String stdout, String stderr) {
    }

    /** Sources the script, chooses, then runs {@code then} in the resulting environment. */
    private static Ran choose(Map<String, String> env, String then) throws IOException, InterruptedException {
        return choose(env, "", then);
    }

    /** As {@link #choose(Map, String)}, with {@code before} run first (bash itself must not preload a fake library). */
    private static Ran choose(Map<String, String> env, String before, String then) throws IOException, InterruptedException {
        String script = before + ". '" + REPO.resolve("bin/native-allocator.sh") + "' && vaegan_choose_allocator || exit $?; " + then;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
        pb.environment().keySet().removeIf(k -> k.startsWith("VAEGAN_") || k.startsWith("MALLOC_") || k.equals("LD_PRELOAD"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script still running after 30 s");
        return new Ran(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static final String SHOW = "echo \"preload=${LD_PRELOAD:-}\"; echo \"conf=${MALLOC_CONF:-}\"; "
            + "echo \"threshold=${MALLOC_MMAP_THRESHOLD_:-}\"";

    @Test
    void preloadsJemallocWithItsSettingsWhereTheLibraryIs(@TempDir Path dir) throws Exception {
        Path lib = Files.writeString(dir.resolve("libjemalloc.so.2"), "stands in for the library");
        Ran ran = choose(Map.of("VAEGAN_JEMALLOC", lib.toString()), "export LD_PRELOAD=/opt/other.so; ", SHOW);
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(ran.stdout().contains("preload=" + lib + ":/opt/other.so\n"), ran.stdout());
        assertTrue(ran.stdout().contains("conf=narenas:4,oversize_threshold:0,"), ran.stdout());
        assertEquals("", ran.stderr());

        Ran own = choose(Map.of("VAEGAN_JEMALLOC", lib.toString(), "MALLOC_CONF", "dirty_decay_ms:1000"), SHOW);
        assertTrue(own.stdout().contains("conf=dirty_decay_ms:1000\n"), own.stdout());
    }

    @Test
    void glibcOnRequestKeepsItsThresholdAndPreloadsNothing() throws Exception {
        Ran ran = choose(Map.of("VAEGAN_ALLOCATOR", "glibc"), SHOW);
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(ran.stdout().contains("preload=\n"), ran.stdout());
        assertTrue(ran.stdout().contains("threshold=1048576\n"), ran.stdout());
        assertEquals("", ran.stderr());
    }

    @Test
    void withoutTheLibraryAutoFallsBackWithANoteAndJemallocStops(@TempDir Path dir) throws Exception {
        Map<String, String> missing = new HashMap<>(Map.of("VAEGAN_JEMALLOC", dir.resolve("absent.so").toString()));
        Ran auto = choose(missing, SHOW);
        assertEquals(0, auto.exitCode(), auto.stderr());
        assertTrue(auto.stdout().contains("preload=\n"), auto.stdout());
        assertTrue(auto.stderr().contains("libjemalloc.so.2 not found") && auto.stderr().contains("apt-get install libjemalloc2"),
                auto.stderr());

        missing.put("VAEGAN_ALLOCATOR", "jemalloc");
        Ran required = choose(missing, SHOW);
        assertEquals(2, required.exitCode(), required.stdout());
        assertTrue(required.stderr().contains("error: VAEGAN_ALLOCATOR=jemalloc") && required.stderr().contains("absent.so"),
                required.stderr());
        assertFalse(required.stdout().contains("preload="), required.stdout());
    }

    @Test
    void anUnknownChoiceNamesTheValidOnes() throws Exception {
        Ran ran = choose(Map.of("VAEGAN_ALLOCATOR", "tcmalloc"), SHOW);
        assertEquals(2, ran.exitCode());
        assertTrue(ran.stderr().contains("VAEGAN_ALLOCATOR=tcmalloc: expected auto, jemalloc or glibc"), ran.stderr());
    }

    /** The images and the YARN properties repeat the script's settings (they cannot source it): keep them equal. */
    @Test
    void theDeployFilesCarryTheScriptsJemallocSettings() throws Exception {
        Ran ran = choose(Map.of("VAEGAN_ALLOCATOR", "glibc"), "", "echo \"$VAEGAN_JEMALLOC_CONF\"");
        String conf = ran.stdout().strip();
        assertTrue(conf.startsWith("narenas:"), conf);
        for (String file : List.of("deploy/k8s/Dockerfile", "deploy/k8s/Dockerfile.cuda", "deploy/yarn/vaegan-yarn.properties")) {
            String text = Files.readString(REPO.resolve(file));
            assertTrue(Pattern.compile("MALLOC_CONF[=\\s]+" + Pattern.quote(conf) + "(\\s|$)", Pattern.MULTILINE).matcher(text).find(),
                    file + " does not carry MALLOC_CONF " + conf);
        }
    }

    @Test
    void theInstalledLibraryIsMappedIntoTheProcessThatFollows() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(DEBIAN_JEMALLOC),
                "SKIPPED: " + DEBIAN_JEMALLOC + " is not installed (apt-get install libjemalloc2; .ci/run installs it)");
        Ran ran = choose(Map.of(), "exec cat /proc/self/maps");
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(ran.stdout().contains("libjemalloc.so.2"), "jemalloc not mapped into the child process");
    }
}
