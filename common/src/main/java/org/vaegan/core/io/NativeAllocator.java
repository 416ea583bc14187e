package org.vaegan.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which C allocator serves ND4J's native arrays in this process (bin/native-allocator.sh chooses
 * it): the speed and resident memory of a training step depend on it, so benchmarks and logs name it.
 */
public final class NativeAllocator {
    private NativeAllocator() {
    }

    /** This process's allocator, from its mapped libraries (Linux /proc) and its environment. */
    public static String describe() {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            maps = null;
        }
        return describe(maps, System.getenv());
    }

    /**
     * @param maps the text of /proc/self/maps, or null where it cannot be read
     * @param env  the process environment
     */
    static String describe(String maps, Map<String, String> env) {
        if (maps == null) {
            return "unknown (no /proc/self/maps)";
        }
        if (isJemalloc(maps)) {
            String conf = env.get("MALLOC_CONF");
            return "jemalloc (MALLOC_CONF=" + (conf == null || conf.isBlank() ? "its defaults" : conf) + ")";
        }
        String threshold = env.get("MALLOC_MMAP_THRESHOLD_");
        return "glibc malloc (MALLOC_MMAP_THRESHOLD_=" + (threshold == null ? "its dynamic default" : threshold)
                + "; big arrays are mapped and zeroed afresh on every allocation: install libjemalloc2, see README Memory)";
    }

    /** Whether a jemalloc library is mapped into the process described by {@code maps}. */
    static boolean isJemalloc(String maps) {
        for (String line : maps.split("\n")) {
            int slash = line.lastIndexOf('/');
            if (slash >= 0 && line.startsWith("libjemalloc", slash + 1)) {
                return true;
            }
        }
        return false;
    }
}
