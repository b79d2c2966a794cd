package dev.catalogclassifier.job;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This pod's identity, the {@code owner} of the job items it holds: its name ({@code classifier.jobs.pod-name}, else
 * the host name) and a suffix that is new at every start, since a pod restarted under the same name has an empty
 * queue and must not look alive to the items its earlier run held.
 */
@ApplicationScoped
public class PodIdentity {

    private final String id;

    public PodIdentity(JobsConfig config) {
        String name = config.podName().orElseGet(() -> System.getenv().getOrDefault("HOSTNAME", "pod"));
        this.id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }
}
