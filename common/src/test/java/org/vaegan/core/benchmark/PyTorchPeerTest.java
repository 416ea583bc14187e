package org.vaegan.core.benchmark;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.vaegan.core.TestConfigs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch peer of the benchmark: its own finite-difference check of the routed gradients,
 * and one step through the harness's interface. Skipped, visibly, where Debian's python3-torch
 * is not installed (apt-get install python3-torch libopenblas0-pthread).
 */
class PyTorchPeerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "bench", "pytorch_step.py");

    private static void assumeTorch() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "PyTorch not installed for /usr/bin/python3: peer not checked (apt-get install python3-torch libopenblas0-pthread)");
    }

    @Test
    void peerRoutesEachGroupsGradientFromItsOwnObjective() throws Exception {
        assumeTorch();
        Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "--check").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("check ok"), output);
    }

    @Test
    void harnessReadsThePeersFigures() throws Exception {
        assumeTorch();
        PyTorchPeer peer = new PyTorchPeer(PYTHON, SCRIPT, 1);
        PyTorchPeer.Result r = peer.run(TestConfigs.tiny(), "tiny", 0, 2, line -> { });
        assertTrue(r.imagesPerSecond() > 0, r.toString());
        assertTrue(r.medianSeconds() > 0 && r.p90Seconds() >= r.medianSeconds(), r.toString());
        assertTrue(r.peakRssMiB() > 0 && r.gemmGflops() > 0, r.toString());
    }

    @Test
    void aMissingInterpreterIsReportedNotThrown() {
        PyTorchPeer peer = new PyTorchPeer(Path.of("/nonexistent/python3"), SCRIPT, 1);
        PyTorchPeer.Unavailable e = org.junit.jupiter.api.Assertions.assertThrows(PyTorchPeer.Unavailable.class,
                () -> peer.run(TestConfigs.tiny(), "tiny", 0, 1, line -> { }));
        assertTrue(e.getMessage().contains("python3-torch"), e.getMessage());
    }
}
