package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.vaegan.core.config.VaeganConfig;
import org.vaegan.core.state.ModelState;

/**
 * A model read back for inference or a warm start: its verified state and the config it was
 * trained with.
 *
 * @param location   the path as given, qualified
 * @param shape      what that path was
 * @param checkpoint the checkpoint folder the state was read from (an exported version is one)
 * @param round      the training round the state is from
 * @param card       the exported version's model.json, or null for a run's checkpoint
 * @param settings   the resolved config tree it was trained with (under {@code vaegan}), to compare with another
 */
public record TrainedModel(Path location, Shape shape, Path checkpoint, long round, VaeganConfig config, ModelState state,
                           JsonNode card, JsonNode settings) {
    /** The four kinds of path {@link ModelSource} accepts. */
    public enum Shape {
        /** {@code models/NAME/v0001}: one exported version. */
        EXPORTED_VERSION,
        /** {@code models/NAME}: the version its LATEST names. */
        MODEL_FOLDER,
        /** {@code runs/NAME}: the checkpoint its checkpoints/LATEST names. */
        RUN,
        /** {@code runs/NAME/checkpoints/round-000012}: that checkpoint. */
        CHECKPOINT
    }
}
