package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a checkpoint can continue the configured model: every network's parameter
 * count and the decoder moving average must match. When they do not, the error names the
 * {@code vaegan.model} keys whose values differ between the checkpoint's config and this one.
 */
public final class CheckpointCompatibility {
    private CheckpointCompatibility() {
    }

    /**
     * @param fresh      a state of the configured model (its shapes are what counts)
     * @param ourConfig  the resolved config of this run (the tree under {@code vaegan})
     */
    public static void check(Path dir, CheckpointStore.Checkpoint checkpoint, ModelState fresh, JsonNode ourConfig) {
        check(dir, checkpoint.state(), checkpoint.progress().config(), fresh, ourConfig, "continued");
    }

    /** The same check for a warm start from a trained model. */
    public static void check(TrainedModel model, ModelState fresh, JsonNode ourConfig) {
        check(model.checkpoint(), model.state(), model.settings(), fresh, ourConfig, "used to start this model");
    }

    private static void check(Path dir, ModelState theirs, JsonNode theirConfig, ModelState fresh, JsonNode ourConfig, String use) {
        List<String> shapes = new ArrayList<>();
        for (Part p : Part.values()) {
            int their = theirs.params(p).length;
            int ours = fresh.params(p).length;
            if (their != ours) {
                shapes.add(p.fileName() + " has " + their + " parameters there, " + ours + " here");
            }
        }
        if ((theirs.decoderEma() == null) != (fresh.decoderEma() == null)) {
            shapes.add("decoder moving average " + (fresh.decoderEma() == null ? "present there, off here" : "absent there, on here"));
        }
        if (shapes.isEmpty()) {
            return;
        }
        String keys = theirConfig == null ? "its config is not recorded"
                : String.join(", ", differences("vaegan.model", theirConfig.path("model"), ourConfig.path("model")));
        throw new UnusableCheckpointException("checkpoint " + dir + " is of another model and cannot be " + use + ": "
                + (keys.isEmpty() ? "" : keys + "; ") + String.join("; ", shapes)
                + ". Use another vaegan.run.name (or vaegan.output.dir) for a new model, or the checkpoint's model settings.");
    }

    /** "key: X there, Y here" for every leaf that differs between two config trees. */
    static List<String> differences(String prefix, JsonNode theirs, JsonNode ours) {
        List<String> out = new ArrayList<>();
        if (theirs.isObject() && ours.isObject()) {
            Set<String> names = new TreeSet<>();
            theirs.fieldNames().forEachRemaining(names::add);
            ours.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                out.addAll(differences(prefix + "." + name, theirs.path(name), ours.path(name)));
            }
        } else if (!theirs.equals(ours)) {
            out.add(prefix + ": " + render(theirs) + " there, " + render(ours) + " here");
        }
        return out;
    }

    private static String render(JsonNode node) {
        return node.isMissingNode() ? "unset" : node.toString();
    }
}
