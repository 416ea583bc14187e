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
        /** The CPU backend's environment, looked up by name so that this module also compiles against
         *  the CUDA backend (-Pcuda), which has no oneDNN; null there. */
        private static final Object REAL = realEnvironment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            if (REAL == null) {
                return false;
            }
            try {
                return (Boolean) REAL.getClass().getMethod("isUseONEDNN").invoke(REAL);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }

        private static Object realEnvironment() {
            try {
                Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                return real.getMethod("getInstance").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }
}
