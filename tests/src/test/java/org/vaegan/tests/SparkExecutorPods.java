package org.vaegan.tests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.k8s.KubernetesConf$;
import org.apache.spark.deploy.k8s.KubernetesExecutorConf;
import org.apache.spark.deploy.k8s.SparkPod;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfile$;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The executor pod that the driver of a submitted application would create, built by Spark's own
 * KubernetesExecutorBuilder from what the submission left in the API server: the driver's Spark
 * conf and its executor pod template (both from its config maps). No driver runs in the test, so
 * this is how the executors' memory, CPU, GPU limits and template settings can be checked.
 */
final class SparkExecutorPods {
    private SparkExecutorPods() {
    }

    /** The pod with its Spark container merged in, as the driver sends it to the API server. */
    static Pod firstExecutor(Properties driverConf, String executorTemplate, Pod driverPod, KubernetesClient client, Path dir)
            throws IOException {
        SparkConf conf = new SparkConf(false);
        driverConf.stringPropertyNames().forEach(k -> conf.set(k, driverConf.getProperty(k)));
        // In the driver pod the template is mounted from its config map; here it is a local file.
        Path template = Files.writeString(dir.resolve("executor-pod-template.yaml"), executorTemplate);
        conf.set("spark.kubernetes.executor.podTemplateFile", template.toString());
        KubernetesExecutorConf executorConf = KubernetesConf$.MODULE$.createExecutorConf(conf, "1", "spark-application-test",
                scala.Option.apply(driverPod), ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID());
        // The default profile (executor cores, memory, GPUs) is cached per JVM: build it from this conf,
        // and clear it again only after the builder, which looks it up too. Left behind, it would
        // give the next local SparkContext in this JVM 4 CPUs and a GPU per task, and its tasks
        // would wait forever for a slot.
        ResourceProfile$.MODULE$.clearDefaultProfile();
        SparkPod pod;
        try {
            ResourceProfile profile = ResourceProfile$.MODULE$.getOrCreateDefaultProfile(conf);
            SecurityManager security = new SecurityManager(conf, scala.Option.empty(),
                    org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE_EXECUTOR());
            pod = new KubernetesExecutorBuilder().buildFromFeatures(executorConf, security, client, profile).pod();
        } finally {
            ResourceProfile$.MODULE$.clearDefaultProfile();
        }
        Container container = pod.container();
        return new PodBuilder(pod.pod()).editSpec().addToContainers(container).endSpec().build();
    }
}
