package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The machine's RabbitMQ on 127.0.0.1:5672, which tests and benchmarks share with other builds: each run uses an
 * exchange and queue of its own and deletes them when done. Never stopped from here ({@link OwnBroker} is a node
 * a test may stop).
 */
public final class MachineBroker {

    private MachineBroker() {
    }

    /** Reachable, or required by {@code CLASSIFIER_REQUIRE_RABBITMQ=true} (CI), so that a test fails, not skips. */
    public static boolean reachableOrRequired() {
        if (Boolean.parseBoolean(System.getenv("CLASSIFIER_REQUIRE_RABBITMQ"))) {
            return true;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static Connection connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        return factory.newConnection();
    }

    /** Deletes a run's exchange and queue (both named {@code name}). */
    public static void deleteQueue(String name) throws Exception {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(name);
            channel.exchangeDelete(name);
        }
    }
}
