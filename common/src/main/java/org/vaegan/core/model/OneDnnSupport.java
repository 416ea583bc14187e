package org.vaegan.core.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches DL4J's oneDNN layer helpers on. M2.1 disables them by default through a system property
 * and also needs the {@code org.nd4j.nativeblas.Nd4jCpu} shim in this module; with both, the
 * convolution and batch-norm layers run on oneDNN (about 3x faster per step, infra note).
 */
public final class OneDnnSupport {
    static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnSupport.class);
    private static volatile Boolean available;

    private OneDnnSupport() {
    }

    /** Must run before the first layer is built: helpers are chosen when a layer is created. */
    public static synchronized void enable() {
        if (available != null) {
            return;
        }
        // A user who set the property explicitly keeps their choice.
        if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
        available = buildHasOneDnn();
        if (!available) {
            LOG.warn("ND4J native build has no oneDNN: convolutions run on the slower generic path");
        }
    }

    /** Whether the loaded libnd4j was built with oneDNN (its build information says so). */
    public static boolean buildHasOneDnn() {
        Nd4j.getBackend(); // loads the native library that NativeOpsHolder binds to
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        return info != null && info.contains("HAVE_ONEDNN");
    }
}
