package org.vaegan.tests;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s/submit.sh run for real: Spark's own SparkSubmit in Kubernetes cluster mode against
 * fabric8's API server mock (CRUD mode, with server-side apply). No driver runs, so the test
 * checks what the submission created: the driver pod (image, memory with ND4J's overhead, CPU,
 * service account, pod template, the job's arguments), its service, the config map with the Spark
 * conf, the executor pod template, and the executor pod that Spark's own executor builder makes of
 * that conf and template (as the driver would), in the CPU and in the GPU variant.
 */
class KubernetesSubmitIT {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSubmitIT.class);
    private static final Path REPO = BuiltArtifacts.repo();
    private static final String NAMESPACE = "vaegan";
    private static final String IMAGE = "registry.example.org/vaegan-spark:it";
    private static final List<String> JOB = List.of("train", "--conf", "/opt/vaegan/conf/kubernetes.conf",
            "--set", "vaegan.output.dir=s3a://bucket/runs", "--set", "vaegan.run.name=k8s-it");

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ServerSideApplyCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    /** deploy/k8s/submit.sh with a Spark "distribution" of the test's jars: bin/spark-submit runs SparkSubmit. */
    private SparkDistribution.Finished submit(Path dir, Map<String, String> env) throws Exception {
        Path sparkHome = SparkDistribution.create(dir, "-Xmx512m");
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("deploy/k8s/submit.sh").toString(),
                // Return once the driver pod exists: no kubelet will ever run it here.
                "--conf", "spark.kubernetes.submission.waitAppCompletion=false", "--"));
        cmd.addAll(JOB);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("VAEGAN_") || k.startsWith("KUBERNETES_"));
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("K8S_API", "http://127.0.0.1:" + server.getPort());
        pb.environment().put("VAEGAN_IMAGE", IMAGE);
        // No kubeconfig of the machine's user may leak into the client's settings.
        pb.environment().put("KUBECONFIG", dir.resolve("no-kubeconfig").toString());
        pb.environment().putAll(env);
        SparkDistribution.Finished finished = SparkDistribution.run(pb, dir.resolve("submit.log"), 180);
        LOG.info("spark-submit exited with {}", finished.exitCode());
        return finished;
    }

    /** jars/: Spark with its Kubernetes module (as a Spark distribution has it), no ND4J, none of ours. */
    private Pod onlyDriverPod() {
        List<Pod> pods = client.pods().inNamespace(NAMESPACE).list().getItems();
        assertEquals(1, pods.size(), "pods: " + pods);
        Pod driver = pods.get(0);
        assertEquals("driver", driver.getMetadata().getLabels().get("spark-role"), driver.getMetadata().toString());
        return driver;
    }

    private Properties sparkConf() throws IOException {
        ConfigMap conf = configMapWith("spark.properties");
        Properties props = new Properties();
        props.load(new StringReader(conf.getData().get("spark.properties")));
        return props;
    }

    private ConfigMap configMapWith(String key) {
        List<ConfigMap> maps = client.configMaps().inNamespace(NAMESPACE).list().getItems();
        return maps.stream().filter(m -> m.getData() != null && m.getData().containsKey(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no config map with " + key + " among " + maps));
    }

    /** The executor pod template that submit.sh chose, as the driver receives it in its config map. */
    private Pod executorTemplate() {
        ConfigMap map = configMapWith("podspec-configmap-key");
        return Serialization.unmarshal(map.getData().get("podspec-configmap-key"), Pod.class);
    }

    /** The first executor pod as Spark's driver would create it from the submitted conf and template. */
    private Pod firstExecutor(Pod driver, Path dir) throws IOException {
        String template = configMapWith("podspec-configmap-key").getData().get("podspec-configmap-key");
        return SparkExecutorPods.firstExecutor(sparkConf(), template, driver, client, dir);
    }

    private static Container container(Pod pod, String name) {
        return pod.getSpec().getContainers().stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name + " in " + pod.getSpec().getContainers()));
    }

    private static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).longValueExact();
    }

    @Test
    void cpuSubmissionCreatesTheDriverPodWithOffHeapMemoryItsServiceAndTheSparkConf(@TempDir Path dir) throws Exception {
        SparkDistribution.Finished s = submit(dir, Map.of());
        assertEquals(0, s.exitCode(), "spark-submit failed:\n" + s.output());

        Pod driver = onlyDriverPod();
        assertEquals("vaegan-spark", driver.getSpec().getServiceAccountName());
        Container c = container(driver, "spark-kubernetes-driver");
        assertEquals(IMAGE, c.getImage());
        // vaegan-k8s.properties: heap 3g + overhead 2g for ND4J's native arrays; Spark sets request = limit.
        long fiveGiB = 5L << 30;
        assertEquals(fiveGiB, bytes(c.getResources().getRequests().get("memory")), c.getResources().toString());
        assertEquals(fiveGiB, bytes(c.getResources().getLimits().get("memory")), c.getResources().toString());
        assertEquals(1.0, Quantity.getAmountInBytes(c.getResources().getRequests().get("cpu")).doubleValue());
        assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"), "the driver needs no GPU");
        // From the driver pod template.
        assertEquals("amd64", driver.getSpec().getNodeSelector().get("kubernetes.io/arch"));
        assertEquals(120L, driver.getSpec().getTerminationGracePeriodSeconds());
        assertTrue(c.getEnv().stream().map(EnvVar::getName).anyMatch("MALLOC_MMAP_THRESHOLD_"::equals), c.getEnv().toString());
        // The job's command line after Spark's own: driver ... <jar> train --conf ... --set ...
        List<String> args = c.getArgs();
        assertEquals("driver", args.get(0), args.toString());
        int jar = args.indexOf("local:///opt/vaegan/vaegan-spark-job.jar");
        assertTrue(jar > 0, args.toString());
        assertEquals(JOB, args.subList(jar + 1, args.size()));
        assertEquals("org.vaegan.spark.cli.VaeganMain", args.get(args.indexOf("--class") + 1));

        List<Service> services = client.services().inNamespace(NAMESPACE).list().getItems();
        assertEquals(1, services.size(), services.toString());
        assertEquals("None", services.get(0).getSpec().getClusterIP(), "executors reach the driver through a headless service");

        Properties conf = sparkConf();
        assertEquals("2g", conf.getProperty("spark.executor.memory"));
        assertEquals("5g", conf.getProperty("spark.executor.memoryOverhead"));
        assertEquals("4", conf.getProperty("spark.executor.instances"));
        assertEquals("4", conf.getProperty("spark.task.cpus"));
        assertEquals("false", conf.getProperty("spark.dynamicAllocation.enabled"));
        assertEquals(IMAGE, conf.getProperty("spark.kubernetes.executor.container.image"));
        assertEquals("vaegan-spark", conf.getProperty("spark.kubernetes.authenticate.driver.serviceAccountName"));
        assertTrue(conf.getProperty("spark.executor.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.maxbytes=5G"), conf.toString());
        assertNull(conf.getProperty("spark.executor.resource.gpu.amount"), "no GPUs asked for");

        Pod executor = executorTemplate();
        assertEquals("spark-kubernetes-executor", executor.getSpec().getContainers().get(0).getName());
        assertTrue(executor.getSpec().getTolerations().isEmpty(), "CPU executors tolerate no GPU taint");
        Container e = executor.getSpec().getContainers().get(0);
        assertTrue(e.getResources() == null || !e.getResources().getLimits().containsKey("nvidia.com/gpu"), "CPU executors ask for no GPU");

        // The executor pod itself: heap 2g + overhead 5g for ND4J's arrays, 4 cores for one replica.
        Pod pod = firstExecutor(driver, dir);
        Container ec = container(pod, "spark-kubernetes-executor");
        assertEquals(IMAGE, ec.getImage());
        long sevenGiB = 7L << 30;
        assertEquals(sevenGiB, bytes(ec.getResources().getRequests().get("memory")), ec.getResources().toString());
        assertEquals(sevenGiB, bytes(ec.getResources().getLimits().get("memory")), ec.getResources().toString());
        assertEquals(4.0, Quantity.getAmountInBytes(ec.getResources().getRequests().get("cpu")).doubleValue());
        assertEquals(4.0, Quantity.getAmountInBytes(ec.getResources().getLimits().get("cpu")).doubleValue());
        assertFalse(ec.getResources().getLimits().containsKey("nvidia.com/gpu"), ec.getResources().toString());
        assertEquals("amd64", pod.getSpec().getNodeSelector().get("kubernetes.io/arch"));
        assertTrue(ec.getEnv().stream().anyMatch(v -> "OMP_NUM_THREADS".equals(v.getName()) && "4".equals(v.getValue())), ec.getEnv().toString());
        assertTrue(ec.getEnv().stream().anyMatch(v -> "MALLOC_MMAP_THRESHOLD_".equals(v.getName())), ec.getEnv().toString());
    }

    @Test
    void gpuSubmissionPutsExecutorsOnTheCudaImageWithAGpuEachAndKeepsTheDriverOnTheCpu(@TempDir Path dir) throws Exception {
        SparkDistribution.Finished s = submit(dir, Map.of("VAEGAN_GPUS", "1"));
        assertEquals(0, s.exitCode(), "spark-submit failed:\n" + s.output());

        Pod driver = onlyDriverPod();
        Container c = container(driver, "spark-kubernetes-driver");
        assertEquals(IMAGE, c.getImage(), "the CUDA backend cannot start without a GPU: the driver stays on the CPU image");
        assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"), c.getResources().toString());

        Properties conf = sparkConf();
        assertEquals(IMAGE + "-cuda", conf.getProperty("spark.kubernetes.executor.container.image"));
        assertEquals("1", conf.getProperty("spark.executor.resource.gpu.amount"));
        assertEquals("1", conf.getProperty("spark.task.resource.gpu.amount"));
        assertEquals("nvidia.com", conf.getProperty("spark.executor.resource.gpu.vendor"));
        assertEquals("/opt/vaegan/bin/getGpusResources.sh", conf.getProperty("spark.executor.resource.gpu.discoveryScript"));

        Pod executor = executorTemplate();
        Container e = executor.getSpec().getContainers().get(0);
        assertEquals(new Quantity("1"), e.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("true", executor.getSpec().getNodeSelector().get("nvidia.com/gpu.present"));
        assertTrue(executor.getSpec().getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())),
                executor.getSpec().getTolerations().toString());

        // The executor pod itself: the CUDA image, one GPU, on a GPU node, memory as on the CPU.
        Pod pod = firstExecutor(driver, dir);
        Container ec = container(pod, "spark-kubernetes-executor");
        assertEquals(IMAGE + "-cuda", ec.getImage());
        assertEquals(new Quantity("1"), ec.getResources().getLimits().get("nvidia.com/gpu"), ec.getResources().toString());
        assertEquals(7L << 30, bytes(ec.getResources().getLimits().get("memory")), ec.getResources().toString());
        assertEquals("true", pod.getSpec().getNodeSelector().get("nvidia.com/gpu.present"));
        assertTrue(pod.getSpec().getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())), pod.getSpec().toString());
    }
}
