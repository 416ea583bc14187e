package org.vaegan.tests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Kubernetes manifest under deploy/ checked offline against the Kubernetes schemas
 * ({@link KubernetesManifestValidator}), the manifests checked against each other (the RoleBinding
 * binds the service account the CronJob and submit.sh use to a Role that lets Spark's driver run
 * executors), and the validator shown to reject a misspelled field, a wrongly typed value and a
 * missing required field.
 */
class DeployManifestsTest {
    private static final Path REPO = Path.of(System.getProperty("vaegan.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = REPO.resolve("deploy");

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static boolean isPodTemplate(Path file) {
        return file.getFileName().toString().contains("pod-template");
    }

    private static KubernetesManifestValidator validateAll() throws IOException {
        KubernetesManifestValidator validator = new KubernetesManifestValidator();
        for (Path file : manifests()) {
            validator.validate(REPO.relativize(file).toString(), Files.readString(file), isPodTemplate(file));
        }
        return validator;
    }

    @Test
    void everyManifestUnderDeployIsValidKubernetes() throws IOException {
        List<String> names = manifests().stream().map(p -> REPO.relativize(p).toString()).toList();
        // Not vacuous: the manifests this project ships are all found.
        assertTrue(names.containsAll(List.of("deploy/k8s/driver-pod-template.yaml", "deploy/k8s/executor-pod-template.yaml",
                "deploy/k8s/executor-pod-template-gpu.yaml", "deploy/k8s/serviceaccount.yaml", "deploy/k8s/rbac.yaml",
                "deploy/schedule/retrain-k8s-cronjob.yaml")), names.toString());
        KubernetesManifestValidator validator = validateAll();
        assertEquals(List.of(), validator.problems());
        assertEquals(names.size() + 2, validator.resources().size(), "serviceaccount.yaml and rbac.yaml hold two documents each");
    }

    @Test
    void theDriversServiceAccountMayRunExecutorsAndTheCronJobUsesIt() throws IOException {
        List<HasMetadata> all = validateAll().resources();
        ServiceAccount account = only(all, ServiceAccount.class);
        Role role = only(all, Role.class);
        RoleBinding binding = only(all, RoleBinding.class);
        CronJob cron = only(all, CronJob.class);

        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("Role", binding.getRoleRef().getKind());
        assertTrue(binding.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && account.getMetadata().getName().equals(s.getName())
                && account.getMetadata().getNamespace().equals(s.getNamespace())), binding.getSubjects().toString());
        assertEquals(account.getMetadata().getNamespace(), role.getMetadata().getNamespace());
        assertEquals(account.getMetadata().getNamespace(), cron.getMetadata().getNamespace());
        // What Spark's driver does in its namespace (executor pods, its service, config maps, on-demand PVCs).
        for (String resource : List.of("pods", "services", "configmaps", "persistentvolumeclaims")) {
            for (String verb : List.of("create", "get", "list", "watch", "delete", "deletecollection")) {
                assertTrue(role.getRules().stream().anyMatch(r -> allows(r, resource, verb)), resource + " " + verb);
            }
        }
        assertEquals(account.getMetadata().getName(), cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getServiceAccountName());
        // submit.sh's defaults name the same namespace and account.
        String submit = Files.readString(DEPLOY.resolve("k8s/submit.sh"));
        assertTrue(submit.contains("VAEGAN_K8S_NAMESPACE:-" + account.getMetadata().getNamespace() + "}"), "submit.sh's default namespace");
        assertTrue(submit.contains("VAEGAN_SERVICE_ACCOUNT:-" + account.getMetadata().getName() + "}"), "submit.sh's default service account");
    }

    private static boolean allows(PolicyRule rule, String resource, String verb) {
        return rule.getApiGroups().contains("") && rule.getResources().contains(resource) && rule.getVerbs().contains(verb);
    }

    @Test
    void podTemplatesNameTheContainersSparkLooksFor() throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(DEPLOY.resolve("k8s/vaegan-k8s.properties"))));
        for (Path file : manifests()) {
            if (!isPodTemplate(file)) {
                continue;
            }
            Pod pod = (Pod) new KubernetesManifestValidator().validate(file.toString(), Files.readString(file), true).get(0);
            String role = file.getFileName().toString().startsWith("driver") ? "driver" : "executor";
            String expected = props.getProperty("spark.kubernetes." + role + ".podTemplateContainerName");
            assertEquals(expected, pod.getSpec().getContainers().get(0).getName(), file.toString());
        }
    }

    @Test
    void aMisspelledFieldAWrongTypeAndAMissingRequiredFieldAreRejected() throws IOException {
        String driver = Files.readString(DEPLOY.resolve("k8s/driver-pod-template.yaml"));
        assertEquals(List.of(), problems(driver, true));

        List<String> typo = problems(driver.replace("nodeSelector:", "nodeSelektor:"), true);
        assertEquals(1, typo.size(), typo.toString());
        assertTrue(typo.get(0).contains("unknown field(s) [nodeSelektor]") && typo.get(0).contains("Pod.spec"), typo.toString());

        List<String> nested = problems(driver.replace("- name: MALLOC_MMAP_THRESHOLD_", "- nmae: MALLOC_MMAP_THRESHOLD_"), true);
        assertFalse(nested.isEmpty());
        assertTrue(nested.stream().anyMatch(p -> p.contains("unknown field(s) [nmae]")), nested.toString());

        List<String> type = problems(driver.replace("terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: two minutes"), true);
        assertEquals(1, type.size(), type.toString());
        assertTrue(type.get(0).contains("does not match the Pod schema"), type.toString());

        String gpu = Files.readString(DEPLOY.resolve("k8s/executor-pod-template-gpu.yaml"));
        List<String> quantity = problems(gpu.replace("nvidia.com/gpu: 1", "nvidia.com/gpu: one"), true);
        assertTrue(quantity.stream().anyMatch(p -> p.contains("not a quantity") || p.contains("does not match")), quantity.toString());

        String rbac = Files.readString(DEPLOY.resolve("k8s/rbac.yaml"));
        List<String> noVerbs = problems(rbac.replaceFirst("verbs: \\[[^]]*]", ""), false);
        assertTrue(noVerbs.stream().anyMatch(p -> p.contains("a rule without verbs")), noVerbs.toString());

        String cron = Files.readString(DEPLOY.resolve("schedule/retrain-k8s-cronjob.yaml"));
        List<String> schedule = problems(cron.replace("schedule: \"30 2 * * *\"", "schedule: \"nightly\""), false);
        assertTrue(schedule.stream().anyMatch(p -> p.contains("spec.schedule")), schedule.toString());
        List<String> kind = problems(cron.replace("kind: CronJob", "kind: CronJobs"), false);
        assertTrue(kind.stream().anyMatch(p -> p.contains("unknown apiVersion/kind batch/v1/CronJobs")), kind.toString());
    }

    private static List<String> problems(String yaml, boolean podTemplate) {
        KubernetesManifestValidator validator = new KubernetesManifestValidator();
        validator.validate("mutated", yaml, podTemplate);
        return validator.problems();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> all, Class<T> type) {
        List<T> matching = all.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), type.getSimpleName() + ": " + matching);
        return matching.get(0);
    }
}
