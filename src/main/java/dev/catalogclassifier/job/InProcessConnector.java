package dev.catalogclassifier.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;

/**
 * Joins an outgoing and an incoming channel of this process through an unbounded in-memory queue, keyed by the
 * channels' {@code address} attribute. It is the default transport for job items, so one node needs no broker;
 * switching both channels' {@code connector} to {@code smallrye-rabbitmq} (the rabbitmq profile) changes the
 * transport and nothing else. SmallRye does not allow one channel name for both directions, so without a
 * connector an emitter and a consumer could not be switched between in-process and broker by configuration.
 * Messages pass through unchanged: the consumer's acknowledgement completes the sender's.
 */
@ApplicationScoped
@Connector(InProcessConnector.NAME)
public class InProcessConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "in-process";

    private final Map<String, UnicastProcessor<Message<?>>> queues = new ConcurrentHashMap<>();

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return queue(config);
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        UnicastProcessor<Message<?>> queue = queue(config);
        return MultiUtils.via(messages -> messages.invoke(queue::onNext));
    }

    private UnicastProcessor<Message<?>> queue(Config config) {
        String address = config.getOptionalValue("address", String.class)
                .orElseGet(() -> config.getValue("channel-name", String.class));
        return queues.computeIfAbsent(address, k -> UnicastProcessor.create());
    }
}
