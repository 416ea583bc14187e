package org.vaegan.spark;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which ND4J device a task's replica runs on, from the GPU addresses Spark assigned to the task
 * ({@code TaskContext.resources().get("gpu")}, set by spark.task.resource.gpu.amount and the
 * discovery script). Spark's addresses are those of the discovery script (usually physical
 * indices); CUDA numbers only the visible devices, so with CUDA_VISIBLE_DEVICES set an address
 * maps to its position in that list.
 */
final class GpuSelection {
    private GpuSelection() {
    }

    /**
     * @param addresses          the task's GPU addresses (empty: the task has no GPU)
     * @param cudaVisibleDevices the executor's CUDA_VISIBLE_DEVICES, or null
     * @param deviceCount        devices ND4J sees
     * @return the device index, or empty for a task without GPU
     * @throws IllegalStateException when the assignment cannot be honoured, naming what to fix
     */
    static OptionalInt deviceIndex(List<String> addresses, String cudaVisibleDevices, int deviceCount) {
        if (addresses == null || addresses.isEmpty()) {
            return OptionalInt.empty();
        }
        // One replica per task: it uses the first GPU of the task (spark.task.resource.gpu.amount = 1).
        String address = addresses.get(0).trim();
        int index;
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::trim).toList();
            index = visible.indexOf(address);
            if (index < 0) {
                throw new IllegalStateException("Spark assigned GPU \"" + address + "\" to this task, but CUDA_VISIBLE_DEVICES="
                        + cudaVisibleDevices + " does not list it: the discovery script (spark.executor.resource.gpu"
                        + ".discoveryScript) must report the devices this executor can see");
            }
        } else {
            try {
                index = Integer.parseInt(address);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Spark assigned GPU address \"" + address + "\", which is not a device index;"
                        + " the discovery script must report CUDA device indices such as \"0\"");
            }
        }
        if (index < 0 || index >= deviceCount) {
            throw new IllegalStateException("Spark assigned GPU \"" + address + "\" (device " + index + ") but ND4J sees "
                    + deviceCount + " device(s): check spark.executor.resource.gpu.amount against the machine");
        }
        return OptionalInt.of(index);
    }
}
