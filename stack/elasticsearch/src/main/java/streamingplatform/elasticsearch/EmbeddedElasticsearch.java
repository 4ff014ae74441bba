package streamingplatform.elasticsearch;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one single-node Elasticsearch cluster in this JVM, in the foreground, until the process is told to stop.
 *
 * <p>Configuration, each from a system property or an argument (arguments win):
 * <ul>
 *   <li>{@code -Delasticsearch.host} / {@code --host=}: HTTP bind address, default 127.0.0.1</li>
 *   <li>{@code -Delasticsearch.port} / {@code --port=}: HTTP port, default 9200</li>
 *   <li>{@code -Delasticsearch.home} / {@code --home=}: directory holding config/, data/ and logs/ (required)</li>
 *   <li>{@code -Ekey=value}: any further node setting</li>
 * </ul>
 */
public final class EmbeddedElasticsearch {

    private EmbeddedElasticsearch() {}

    public static void main(String[] args) {
        // The server logs through its own facade; it must be bound to log4j before any server class logs.
        LogConfigurator.configureESLogging();
        Logger logger = LogManager.getLogger(EmbeddedElasticsearch.class);

        Node node = null;
        try {
            Settings.Builder extra = Settings.builder();
            String host = System.getProperty("elasticsearch.host", "127.0.0.1");
            String port = System.getProperty("elasticsearch.port", "9200");
            String home = System.getProperty("elasticsearch.home");
            for (String arg : args) {
                if (arg.startsWith("--host=")) {
                    host = arg.substring("--host=".length());
                } else if (arg.startsWith("--port=")) {
                    port = arg.substring("--port=".length());
                } else if (arg.startsWith("--home=")) {
                    home = arg.substring("--home=".length());
                } else if (arg.startsWith("-E") && arg.indexOf('=') > 2) {
                    int eq = arg.indexOf('=');
                    extra.put(arg.substring(2, eq), arg.substring(eq + 1));
                } else {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (home == null || home.isBlank()) {
                throw new IllegalArgumentException("the home directory is required (-Delasticsearch.home or --home=)");
            }

            Path homeDir = Path.of(home).toAbsolutePath().normalize();
            Path configDir = homeDir.resolve("config");
            Files.createDirectories(configDir);
            Files.createDirectories(homeDir.resolve("data"));
            Files.createDirectories(homeDir.resolve("logs"));

            Settings settings = Settings.builder()
                .put("cluster.name", "streaming-platform")
                .put("node.name", "streaming-platform-es")
                .put("path.home", homeDir.toString())
                .put("path.data", homeDir.resolve("data").toString())
                .put("path.logs", homeDir.resolve("logs").toString())
                .put("discovery.type", "single-node")
                .put("http.type", Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("transport.type", Netty4Plugin.NETTY_TRANSPORT_NAME)
                .put("http.host", host)
                .put("http.port", port)
                // The transport port is only needed internally; keep it off the network.
                .put("transport.host", "127.0.0.1")
                // Shared dev machines are often nearly full; a read-only index would fail every write.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                // Tests drop their indices by prefix (test_x_*); 8.x refuses wildcard deletes by default.
                .put("action.destructive_requires_name", false)
                .put(extra.build())
                .build();

            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings,
                Map.of(),
                configDir,
                () -> "streaming-platform-es"
            );

            node = new EmbeddedNode(environment, List.of(Netty4Plugin.class));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopOnExit(node, stopped, logger), "elasticsearch-shutdown"));
            node.start();
            logger.info("embedded elasticsearch listening on http://{}:{}", host, port);

            // Server threads are daemons: the main thread keeps the JVM alive until the shutdown hook has run.
            stopped.await();
        } catch (Throwable t) {
            logger.fatal("elasticsearch failed to start", t);
            if (node != null) {
                try {
                    node.close();
                } catch (Exception closeFailure) {
                    t.addSuppressed(closeFailure);
                }
            }
            // halt, not exit: the shutdown hook would otherwise wait on a node that never started.
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static Runnable stopOnExit(Node node, CountDownLatch stopped, Logger logger) {
        return () -> {
            try {
                logger.info("stopping elasticsearch");
                node.close();
                if (node.awaitClose(10, TimeUnit.SECONDS) == false) {
                    logger.warn("elasticsearch did not stop within 10 seconds");
                }
                logger.info("elasticsearch stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                logger.error("failed to stop elasticsearch cleanly", e);
            } finally {
                // log4j's own shutdown hook is off so the lines above still reach the log.
                Configurator.shutdown((LoggerContext) LogManager.getContext(false));
                stopped.countDown();
            }
        };
    }
}
