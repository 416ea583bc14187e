package org.vaegan.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ops.OpContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets go of the arrays DL4J's oneDNN layer helpers keep after an op has run. M2.1's convolution and
 * batch-norm helpers each keep one op context per layer and purge it only at their next call, so
 * each layer's last input and output stayed referenced until the next step's forward: measured on
 * the 64x64 model, about 1 GiB held between steps and still there at the next step's peak (3.26
 * GiB on glibc). Purging is what the helpers do themselves before each call; the contexts' op
 * arguments stay.
 */
final class HelperContexts {
    private static final Map<Class<?>, List<Field>> CONTEXT_FIELDS = new ConcurrentHashMap<>();

    private HelperContexts() {
    }

    /** Purges every op context held by the helpers of {@code net}'s layers. */
    static void purge(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            LayerHelper helper = contextHolder(layer);
            if (helper == null) {
                continue;
            }
            for (Field field : CONTEXT_FIELDS.computeIfAbsent(helper.getClass(), HelperContexts::contextFields)) {
                try {
                    Object context = field.get(helper);
                    if (context != null) {
                        ((OpContext) context).purge();
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + field + " of a layer helper", e);
                }
            }
        }
    }

    /** The helper of {@code layer} that runs its ops (inside {@link RowChunkedBatchNorm}'s wrapper), or null. */
    static LayerHelper contextHolder(Layer layer) {
        LayerHelper helper = layer.getHelper();
        return helper instanceof RowChunkedBatchNorm chunked ? chunked.forwardHelper() : helper;
    }

    /** The instance fields of type {@link OpContext} in a helper class and its superclasses, made accessible. */
    static List<Field> contextFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && OpContext.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        return List.copyOf(fields);
    }
}
