package org.vaegan.spark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model commands' command lines: bad ones end with an error naming the problem and exit code 2. */
class InferenceCommandsTest {
    private final CapturedCommandLine cli = new CapturedCommandLine();

    private int run(String... args) {
        return cli.run(args);
    }

    private String err() {
        return cli.err();
    }

    @Test
    void missingAndUnknownOptionsAreNamedWithTheCommandsUsage() {
        assertEquals(2, run("sample", "--out", "x.png"));
        assertTrue(err().startsWith("error: sample needs --model"), err());
        assertTrue(err().contains("usage: vaegan sample --model PATH --out FILE.png [--n 64] [--seed 1]"), err());
        assertEquals(2, run("reconstruct", "--model", "m", "--images", "i", "--out", "x.png", "--steps", "3"));
        assertTrue(err().contains("unknown option --steps for reconstruct; valid: --model, --images, --out, --n"), err());
        assertEquals(2, run("export", "--run"));
        assertTrue(err().contains("--run needs a value"), err());
        assertEquals(2, run("interpolate", "--model", "m", "--model", "n"));
        assertTrue(err().contains("--model is given twice"), err());
    }

    @Test
    void valuesAreCheckedBeforeAnyModelIsRead(@TempDir Path dir) throws Exception {
        assertEquals(2, run("sample", "--model", "nowhere", "--n", "0", "--out", "x.png"));
        assertTrue(err().contains("--n needs a whole number from 1 to 4096, got \"0\""), err());
        assertEquals(2, run("sample", "--model", "nowhere", "--out", "x.jpg"));
        assertTrue(err().contains("--out must name a .png file"), err());
        assertEquals(2, run("interpolate", "--model", "m", "--from", "a", "--to", "b", "--steps", "1", "--out", "x.png"));
        assertTrue(err().contains("--steps needs a whole number from 2 to 256"), err());
        assertEquals(2, run("attribute", "--model", "m", "--with", "a", "--without", "b", "--images", "c", "--scale", "big",
                "--out", "x.png"));
        assertTrue(err().contains("--scale needs a number"), err());
        Files.createDirectories(dir.resolve("grid.png"));
        assertEquals(2, run("sample", "--model", "nowhere", "--out", dir.resolve("grid.png").toString()));
        assertTrue(err().contains("is a folder"), err());
    }

    @Test
    void aPathThatHoldsNoModelListsTheAcceptedShapes(@TempDir Path dir) {
        assertEquals(2, run("sample", "--model", dir.toString(), "--out", dir.resolve("s.png").toString()));
        assertTrue(err().startsWith("error: no model at file:" + dir), err());
        assertTrue(err().contains("models/NAME/v0001") && err().contains("runs/NAME/checkpoints/round-000012"), err());
        assertFalse(err().contains("\tat "), err());
        assertEquals(2, run("export", "--run", dir.resolve("runs/none").toString()));
        assertTrue(err().contains("run folder file:" + dir.resolve("runs/none") + " does not exist"), err());
    }

    @Test
    void helpShowsTheModelCommands() {
        assertEquals(0, run("attribute", "--help"));
        assertTrue(cli.out().contains("usage: vaegan attribute --model PATH --with DIR"), cli.out());
        assertEquals(0, run("--help"));
        String usage = cli.out();
        for (String command : new String[] {"export", "sample", "reconstruct", "interpolate", "attribute"}) {
            assertTrue(usage.contains("\n  " + command + " "), usage);
        }
    }
}
