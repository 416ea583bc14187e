package org.nd4j.nativeblas;

/**
 * Compatibility shim: DL4J 1.0.0-M2.1's oneDNN helpers ({@code BaseMKLDNNHelper.mklDnnEnabled()})
 * look up {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()}, a class that moved in
 * M2.1. Without this class every oneDNN layer helper is silently dropped. It answers from the
 * real environment ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment}).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
