package org.elasticsearch.plugins;

import org.elasticsearch.Version;
import org.elasticsearch.common.settings.Settings;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A {@link PluginsService} whose plugins are classes already on the application classpath rather than
 * bundles under modules/ and plugins/ directories. It lives in this package because the loaded-plugin
 * record and the extension wiring it must feed are package-private.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(Settings settings, Path configPath, Collection<Class<? extends Plugin>> pluginClasses) {
        // No directories: nothing is scanned or loaded from disk.
        super(settings, configPath, null, null);
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getSimpleName(),
                "classpath plugin " + pluginClass.getName(),
                Version.CURRENT.toString(),
                Version.CURRENT,
                Runtime.version().feature() + "",
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            loaded.add(new LoadedPlugin(descriptor, instantiate(pluginClass, settings, configPath)));
        }
        loadExtensions(loaded);
        this.classpathPlugins = List.copyOf(loaded);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }

    // Plugins may take (Settings, Path), (Settings) or nothing, the same shapes the bundle loader accepts.
    private static Plugin instantiate(Class<? extends Plugin> pluginClass, Settings settings, Path configPath) {
        try {
            for (Constructor<?> ctor : pluginClass.getConstructors()) {
                Class<?>[] params = ctor.getParameterTypes();
                if (params.length == 2 && params[0] == Settings.class && params[1] == Path.class) {
                    return (Plugin) ctor.newInstance(settings, configPath);
                }
            }
            for (Constructor<?> ctor : pluginClass.getConstructors()) {
                Class<?>[] params = ctor.getParameterTypes();
                if (params.length == 1 && params[0] == Settings.class) {
                    return (Plugin) ctor.newInstance(settings);
                }
            }
            return pluginClass.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("failed to create plugin " + pluginClass.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("failed to create plugin " + pluginClass.getName(), e);
        }
    }
}
