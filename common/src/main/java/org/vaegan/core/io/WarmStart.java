package org.vaegan.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.vaegan.core.model.Part;
import org.vaegan.core.state.ModelState;

/**
 * The first state of a warm-started run (vaegan.init.from): a trained model's parameters, batch-norm
 * statistics and decoder moving average, its RMSProp state only when asked, and step 0, since a
 * new run on new data begins its own schedule.
 */
public final class WarmStart {
    private WarmStart() {
    }

    /**
     * @param fresh          a state of the configured model: its shapes are checked against the
     *                       model's, and its optimizer state is used when the model's is not
     * @param ourConfig      this run's resolved config tree, to name the keys that differ
     * @throws UnusableCheckpointException when the model has other shapes
     */
    public static ModelState state(TrainedModel model, ModelState fresh, JsonNode ourConfig, boolean optimizerState) {
        CheckpointCompatibility.check(model, fresh, ourConfig);
        ModelState from = model.state();
        int n = Part.values().length;
        float[][] params = new float[n][];
        float[][] optimizer = new float[n][];
        for (Part p : Part.values()) {
            params[p.ordinal()] = from.params(p);
            optimizer[p.ordinal()] = optimizerState ? from.optimizer(p) : fresh.optimizer(p);
        }
        return new ModelState(params, optimizer, 0, from.decoderEma());
    }
}
