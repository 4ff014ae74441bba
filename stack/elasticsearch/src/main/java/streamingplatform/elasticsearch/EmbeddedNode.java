package streamingplatform.elasticsearch;

import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;

import java.util.Collection;
import java.util.List;

/** A node whose plugins come from the classpath; the bootstrap checks stay the no-op of the base class. */
final class EmbeddedNode extends Node {

    EmbeddedNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(
            environment,
            settings -> new ClasspathPluginsService(settings, environment.configFile(), List.copyOf(plugins)),
            true
        );
    }
}
