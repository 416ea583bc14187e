package org.vaegan.spark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report, evaluate and train-classifier command lines: bad ones end with an error naming the problem and exit code 2. */
class EvaluationCommandsTest {
    private final CapturedCommandLine cli = new CapturedCommandLine();

    private int run(String... args) {
        return cli.run(args);
    }

    private String err() {
        return cli.err();
    }

    @Test
    void missingAndUnknownOptionsAreNamedWithTheCommandsUsage() {
        assertEquals(2, run("evaluate", "--model", "m"));
        assertTrue(err().startsWith("error: evaluate needs --data"), err());
        assertTrue(err().contains("usage: vaegan evaluate --model PATH --data IDX|DIR|FILE"), err());
        assertEquals(2, run("report", "--model", "m"));
        assertTrue(err().contains("unknown option --model for report; valid: --run"), err());
        assertEquals(2, run("train-classifier", "--epochs", "0"));
        assertTrue(err().contains("--epochs needs a whole number from 1 to 100, got \"0\""), err());
    }

    @Test
    void valuesAndPathsAreCheckedBeforeAnyWork(@TempDir Path dir) {
        assertEquals(2, run("evaluate", "--model", "m", "--data", "d", "--n", "1"));
        assertTrue(err().contains("--n needs a whole number from 2 to 60000, got \"1\""), err());
        assertEquals(2, run("evaluate", "--model", "m", "--data", "d", "--out", "figures.txt"));
        assertTrue(err().contains("--out must name a .json file"), err());
        assertEquals(2, run("evaluate", "--model", dir.resolve("nowhere").toString(), "--data", "d"));
        assertTrue(err().contains("nowhere"), err());
        assertEquals(2, run("report", "--run", dir.toString()));
        assertTrue(err().contains("is not a run folder"), err());
    }

    @Test
    void helpPrintsTheCommandsUsage() {
        assertEquals(0, run("report", "--help"));
        assertTrue(cli.out().startsWith("usage: vaegan report --run DIR"), cli.out());
    }
}
