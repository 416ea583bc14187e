package org.vaegan.spark.cli;

import org.vaegan.core.infer.InferenceInputException;
import org.vaegan.core.io.ModelPathException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * How the option-style commands (export, sample, ..., report, evaluate) run: parse the options,
 * print usage on --help, then map what went wrong to an exit code: 2 for bad usage or input (a
 * bad option value, a path that holds no model, an unusable picture), 1 for a failure.
 */
final class OptionCommandRunner {
    /** A command's work, given its options with defaults filled in. */
    @FunctionalInterface
    interface Body {
        void run(Map<String, String> options) throws IOException;
    }

    private OptionCommandRunner() {
    }

    static int run(String[] args, Map<String, String> valid, String usage, PrintStream out, PrintStream err, Body body) {
        String command = args[0];
        Map<String, String> given;
        try {
            given = InferenceCommands.parse(command, args, valid);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: vaegan " + InferenceCommands.usageOf(command, usage));
            return 2;
        }
        if (given == null) {
            out.println("usage: vaegan " + InferenceCommands.usageOf(command, usage));
            return 0;
        }
        try {
            body.run(given);
            return 0;
        } catch (InferenceCommands.UsageException | ModelPathException | InferenceInputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + command + " failed: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: " + command + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
