package dev.catalogclassifier.local;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the embedding model has loaded, where it loads at start ({@link LocalConfig#warmUp()}): the load balancer
 * sends nothing a pod would answer slowly, and a pod stopped before it was ready never has to load the model while
 * stopping, which fails (ONNX Runtime's environment is gone by then).
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final LocalClassifier classifier;

    public ModelReadiness(LocalClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("In-process model").status(classifier.warmedUp()).build();
    }
}
