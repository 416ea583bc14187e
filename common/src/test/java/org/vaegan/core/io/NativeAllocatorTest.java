package org.vaegan.core.io;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeAllocatorTest {
    private static final String GLIBC_MAPS = """
            7f1c2a000000-7f1c2a022000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6
            7f1c2b000000-7f1c2b100000 rw-p 00000000 00:00 0
            7f1c2c000000-7f1c2c010000 r-xp 00000000 08:01 99 /opt/libjemalloc-notes/libnd4jcpu.so
            """;
    private static final String JEMALLOC_MAPS = GLIBC_MAPS
            + "7f1c2d000000-7f1c2d080000 r-xp 00000000 08:01 77 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n";

    @Test
    void namesJemallocWithItsSettingsWhenTheLibraryIsMapped() {
        assertTrue(NativeAllocator.isJemalloc(JEMALLOC_MAPS));
        assertEquals("jemalloc (MALLOC_CONF=oversize_threshold:0)",
                NativeAllocator.describe(JEMALLOC_MAPS, Map.of("MALLOC_CONF", "oversize_threshold:0")));
        assertEquals("jemalloc (MALLOC_CONF=its defaults)", NativeAllocator.describe(JEMALLOC_MAPS, Map.of()));
    }

    @Test
    void namesGlibcAndItsThresholdOtherwise() {
        // A directory called libjemalloc-* is not the library.
        assertFalse(NativeAllocator.isJemalloc(GLIBC_MAPS));
        String described = NativeAllocator.describe(GLIBC_MAPS, Map.of("MALLOC_MMAP_THRESHOLD_", "1048576"));
        assertTrue(described.startsWith("glibc malloc (MALLOC_MMAP_THRESHOLD_=1048576;"), described);
        assertTrue(described.contains("libjemalloc2"), described);
        assertTrue(NativeAllocator.describe(GLIBC_MAPS, Map.of()).contains("its dynamic default"));
    }

    @Test
    void saysUnknownWithoutProc() {
        assertEquals("unknown (no /proc/self/maps)", NativeAllocator.describe(null, Map.of()));
    }

    @Test
    void describesThisProcess() {
        String described = NativeAllocator.describe();
        // Surefire's JVM is started without bin/vaegan's preload, unless the environment has one.
        boolean preloaded = String.valueOf(System.getenv("LD_PRELOAD")).contains("libjemalloc");
        assertEquals(preloaded, described.startsWith("jemalloc"), described);
    }
}
