package dev.catalogclassifier.job;

import java.lang.reflect.Type;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.MessageConverter;
import io.vertx.core.json.JsonObject;

/**
 * Turns a job-item message from RabbitMQ (JSON, which the connector hands over as a JsonObject) back into an
 * {@link ItemWork}. Quarkus only adds such converters at build time for channels configured for a broker;
 * ours is in-process unless the rabbitmq profile is on, so the converter is ours. It reads with the
 * service's own ObjectMapper, the same snake_case one the connector writes with.
 */
@ApplicationScoped
public class ItemWorkConverter implements MessageConverter {

    private final ObjectMapper json;

    public ItemWorkConverter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean canConvert(Message<?> in, Type target) {
        return target == ItemWork.class && (in.getPayload() instanceof JsonObject || in.getPayload() instanceof byte[]);
    }

    @Override
    public Message<?> convert(Message<?> in, Type target) {
        try {
            Object payload = in.getPayload();
            ItemWork work = payload instanceof JsonObject object
                    ? json.convertValue(object.getMap(), ItemWork.class)
                    : json.readValue((byte[]) payload, ItemWork.class);
            return in.withPayload(work);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a job-items message is not an item: " + e.getMessage(), e);
        }
    }
}
