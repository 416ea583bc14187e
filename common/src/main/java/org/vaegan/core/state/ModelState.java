package org.vaegan.core.state;

import org.vaegan.core.model.Part;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything a replica needs to continue training: per network the flat parameters (batch-norm
 * running statistics included) and the RMSProp mean-square state, plus the global step count and,
 * when configured, the moving average of the decoder's parameters.
 * Plain float arrays: they travel through Spark without a custom serializer, and averaging them
 * is one loop per network.
 */
public final class ModelState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] params;
    private final float[][] optimizer;
    private final long step;
    private final float[] decoderEma;

    public ModelState(float[][] params, float[][] optimizer, long step) {
        this(params, optimizer, step, null);
    }

    /** @param decoderEma moving average of the decoder's flat parameters, or null when off */
    public ModelState(float[][] params, float[][] optimizer, long step, float[] decoderEma) {
        if (params.length != Part.values().length || optimizer.length != Part.values().length) {
            throw new IllegalArgumentException("need one parameter and one optimizer array per network part");
        }
        for (Part p : Part.values()) {
            if (params[p.ordinal()].length != optimizer[p.ordinal()].length) {
                throw new IllegalArgumentException(p.fileName() + ": " + params[p.ordinal()].length
                        + " parameters but " + optimizer[p.ordinal()].length + " optimizer entries");
            }
        }
        this.params = params;
        this.optimizer = optimizer;
        if (decoderEma != null && decoderEma.length != params[Part.DECODER.ordinal()].length) {
            throw new IllegalArgumentException("decoder moving average has " + decoderEma.length + " values, the decoder "
                    + params[Part.DECODER.ordinal()].length);
        }
        this.step = step;
        this.decoderEma = decoderEma;
    }

    /** The moving average of the decoder's parameters, or null when none is kept. */
    public float[] decoderEma() {
        return decoderEma;
    }

    public float[] params(Part part) {
        return params[part.ordinal()];
    }

    public float[] optimizer(Part part) {
        return optimizer[part.ordinal()];
    }

    public long step() {
        return step;
    }

    /** Bytes of float payload: what one copy of this state puts on the wire. */
    public long sizeBytes() {
        long floats = decoderEma == null ? 0 : decoderEma.length;
        for (int i = 0; i < params.length; i++) {
            floats += params[i].length + optimizer[i].length;
        }
        return 4 * floats;
    }

    public boolean sameValues(ModelState other) {
        return step == other.step && Arrays.deepEquals(params, other.params) && Arrays.deepEquals(optimizer, other.optimizer)
                && Arrays.equals(decoderEma, other.decoderEma);
    }
}
