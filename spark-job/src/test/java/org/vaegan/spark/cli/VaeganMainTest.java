package org.vaegan.spark.cli;

import org.junit.jupiter.api.Test;
import org.vaegan.core.train.NonFiniteTrainingException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad command lines end with a one-line error naming the problem, exit code 2, no Spark started. */
class VaeganMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return VaeganMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badConfigValueNamesTheKey() {
        assertEquals(2, run("train", "--set", "train.batch-size=0"));
        assertTrue(err().contains("vaegan.train.batch-size"), err());
        assertFalse(err().contains("\tat "), "no stack trace for a config error: " + err());
    }

    @Test
    void unknownKeyNamesTheKey() {
        assertEquals(2, run("train", "--set", "model.layers=5"));
        assertTrue(err().contains("vaegan.model.layers"), err());
    }

    @Test
    void unknownCommandAndOptionAreNamed() {
        assertEquals(2, run("fly"));
        assertTrue(err().contains("fly") && err().contains("train"), err());
        err.reset();
        assertEquals(2, run("train", "--rounds", "3"));
        assertTrue(err().contains("--rounds"), err());
    }

    @Test
    void resumeIsATrainOptionAndSetsTrainResume() {
        VaeganMain.ParsedArgs parsed = VaeganMain.ParsedArgs.parse(new String[] {"train", "--resume", "--set", "run.name=x"});
        assertEquals(java.util.List.of("train.resume=true", "run.name=x"), parsed.overrides());
        assertEquals(2, run("benchmark", "--resume"));
        assertTrue(err().contains("--resume belongs to the train command"), err());
    }

    @Test
    void checkpointKeysAreValidated() {
        assertEquals(2, run("train", "--set", "checkpoint.keep-best-by=accuracy"));
        assertTrue(err().contains("vaegan.checkpoint.keep-best-by") && err().contains("l_llike"), err());
    }

    @Test
    void missingValueAndMissingCommand() {
        assertEquals(2, run("train", "--set"));
        assertTrue(err().contains("--set needs a value"), err());
        err.reset();
        assertEquals(2, run());
        assertTrue(err().contains("no command"), err());
    }

    @Test
    void dataBenchmarkNamesAnUnknownModel() {
        assertEquals(2, run("benchmark", "data", "--models", "vgg-16"));
        assertTrue(err().contains("vgg-16") && err().contains("none"), err());
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: vaegan"));
    }

    /** An exception nothing caught is printed with its stack trace; only running out of heap stops the process. */
    @Test
    void uncaughtExceptionsAreReported() {
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Thread thread = new Thread(() -> { }, "result-getter-1");
        assertFalse(VaeganMain.reportUncaught(thread, new IllegalStateException("lost the state"), stream));
        assertTrue(err().startsWith("Exception in thread \"result-getter-1\" java.lang.IllegalStateException: lost the state"), err());
        assertTrue(err().contains("\tat "), "with its stack trace: " + err());
        err.reset();
        assertTrue(VaeganMain.reportUncaught(thread, new OutOfMemoryError("Java heap space"), stream));
        assertTrue(err().contains("ran out of heap in thread result-getter-1") && err().contains("VAEGAN_HEAP"), err());
    }

    @Test
    void divergenceIsFoundBehindSparksWrapping() {
        NonFiniteTrainingException cause = new NonFiniteTrainingException("L_GAN", 5, 40);
        Exception wrapped = new org.apache.spark.SparkException("Job aborted due to stage failure", new RuntimeException(cause));
        assertEquals(cause, VaeganMain.findCause(wrapped, NonFiniteTrainingException.class));
        assertEquals(null, VaeganMain.findCause(new RuntimeException("other"), NonFiniteTrainingException.class));
        assertTrue(cause.getMessage().startsWith("L_GAN was not finite"), cause.getMessage());
    }

    @Test
    void roundPathUsesKryoWithOurRegistrator() {
        org.apache.spark.SparkConf conf = VaeganMain.sparkConf(org.vaegan.core.config.ConfigLoader.load(null, java.util.List.of()));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals(org.vaegan.spark.VaeganKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"));
        // model-sized updates: no default 1 GiB cap on results, no LZ4 on incompressible floats
        assertEquals("0", conf.get("spark.driver.maxResultSize"));
        assertEquals("false", conf.get("spark.broadcast.compress"));
    }
}
