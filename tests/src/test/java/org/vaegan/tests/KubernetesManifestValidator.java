package org.vaegan.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks Kubernetes YAML offline against the API's schema as fabric8's generated model classes
 * (Kubernetes 1.27, the client Spark 3.5.6 uses) encode it: every document must be a kind the
 * model knows, every field must exist where it is written (fabric8's classes keep unknown fields
 * in {@code additionalProperties} instead of failing, so those are searched for), values must have
 * the field's type, quantities must parse, and the fields the API server requires must be there.
 * Returns the problems found, each naming the source and where; none means valid.
 */
final class KubernetesManifestValidator {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // RFC 1123 subdomain (object names) and the label value syntax of the API server.
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    private static final Pattern CRON = Pattern.compile("(@(yearly|annually|monthly|weekly|daily|midnight|hourly))|(\\S+\\s+){4}\\S+");

    private final List<String> problems = new ArrayList<>();
    private final List<HasMetadata> resources = new ArrayList<>();

    /** Every document of one YAML text; {@code podTemplate}: a Spark pod template (Spark fills in name and image). */
    List<HasMetadata> validate(String source, String yaml, boolean podTemplate) {
        List<HasMetadata> parsed = new ArrayList<>();
        List<JsonNode> documents;
        try {
            documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
        } catch (IOException e) {
            problems.add(source + ": not YAML: " + e.getMessage());
            return parsed;
        }
        int index = 0;
        for (JsonNode doc : documents) {
            String where = documents.size() == 1 ? source : source + " (document " + (index + 1) + ")";
            index++;
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!doc.hasNonNull("apiVersion") || !doc.hasNonNull("kind")) {
                problems.add(where + ": apiVersion and kind are required");
                continue;
            }
            Object typed;
            try {
                typed = Serialization.unmarshal(Serialization.asJson(doc));
            } catch (RuntimeException e) {
                problems.add(where + ": does not match the " + doc.get("kind").asText() + " schema: " + rootMessage(e));
                continue;
            }
            if (!(typed instanceof HasMetadata resource) || typed instanceof GenericKubernetesResource) {
                problems.add(where + ": unknown apiVersion/kind " + doc.get("apiVersion").asText() + "/" + doc.get("kind").asText());
                continue;
            }
            String kind = resource.getKind();
            walk(where + ": " + kind, typed);
            requiredFields(where + ": " + kind, resource, podTemplate);
            parsed.add(resource);
        }
        resources.addAll(parsed);
        return parsed;
    }

    List<String> problems() {
        return problems;
    }

    List<HasMetadata> resources() {
        return resources;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }

    /** Unknown fields anywhere below {@code value}, and quantities that do not parse. */
    private void walk(String path, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(path + "[" + i++ + "]", item);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(path + "." + k, v));
            return;
        }
        if (value instanceof Quantity q) {
            try {
                Quantity.getAmountInBytes(q);
            } catch (RuntimeException e) {
                problems.add(path + ": not a quantity: " + q);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = m.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(path + "." + field, child);
        }
    }

    /** What the API server requires (the OpenAPI schema's "required"), for the kinds deploy/ uses. */
    private void requiredFields(String where, HasMetadata resource, boolean podTemplate) {
        String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
        if (!podTemplate) {
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(where + ": metadata.name missing or not a DNS name: " + name);
            }
            if (!(resource instanceof Namespace) && resource.getMetadata().getNamespace() == null) {
                problems.add(where + " " + name + ": metadata.namespace missing (kubectl would use the current one)");
            }
        }
        if (resource.getMetadata() != null && resource.getMetadata().getLabels() != null) {
            resource.getMetadata().getLabels().forEach((k, v) -> {
                if (v == null || !LABEL_VALUE.matcher(v).matches()) {
                    problems.add(where + ": label " + k + " has an invalid value: " + v);
                }
            });
        }
        if (resource instanceof Pod pod) {
            podSpec(where + ".spec", pod.getSpec(), podTemplate);
        } else if (resource instanceof CronJob cron) {
            if (cron.getSpec() == null || cron.getSpec().getSchedule() == null
                    || !CRON.matcher(cron.getSpec().getSchedule().strip()).matches()) {
                problems.add(where + ": spec.schedule missing or not a cron schedule");
            }
            if (cron.getSpec() == null || cron.getSpec().getJobTemplate() == null || cron.getSpec().getJobTemplate().getSpec() == null
                    || cron.getSpec().getJobTemplate().getSpec().getTemplate() == null) {
                problems.add(where + ": spec.jobTemplate.spec.template is required");
                return;
            }
            PodSpec spec = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            podSpec(where + ".spec.jobTemplate.spec.template.spec", spec, false);
            if (spec != null && !List.of("Never", "OnFailure").contains(spec.getRestartPolicy())) {
                problems.add(where + ": a Job's pods need restartPolicy Never or OnFailure, got " + spec.getRestartPolicy());
            }
        } else if (resource instanceof Role role) {
            if (role.getRules().isEmpty()) {
                problems.add(where + ": no rules");
            }
            for (PolicyRule rule : role.getRules()) {
                if (rule.getVerbs().isEmpty()) {
                    problems.add(where + ": a rule without verbs: " + rule);
                }
            }
        } else if (resource instanceof RoleBinding binding) {
            if (binding.getRoleRef() == null || binding.getRoleRef().getKind() == null || binding.getRoleRef().getName() == null
                    || binding.getRoleRef().getApiGroup() == null) {
                problems.add(where + ": roleRef needs apiGroup, kind and name");
            }
            for (Subject s : binding.getSubjects()) {
                if (s.getKind() == null || s.getName() == null) {
                    problems.add(where + ": a subject needs kind and name: " + s);
                }
            }
        }
    }

    private void podSpec(String where, PodSpec spec, boolean podTemplate) {
        if (spec == null || spec.getContainers().isEmpty()) {
            problems.add(where + ": containers is required");
            return;
        }
        for (Container c : spec.getContainers()) {
            if (c.getName() == null || !NAME.matcher(c.getName()).matches()) {
                problems.add(where + ": a container needs a DNS-label name: " + c.getName());
            }
            if (!podTemplate && (c.getImage() == null || c.getImage().isBlank())) {
                problems.add(where + ": container " + c.getName() + " has no image");
            }
            c.getEnv().forEach(e -> {
                if (e.getName() == null || (e.getValue() == null && e.getValueFrom() == null)) {
                    problems.add(where + ": container " + c.getName() + ": env needs a name and a value or valueFrom: " + e);
                }
            });
        }
    }
}
