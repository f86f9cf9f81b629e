package io.camelcast.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteFilesTest {

    private final ClassLoader loader = RouteFilesTest.class.getClassLoader();

    /**
     * Every route file (the demo's too) is Camel YAML its loader takes: a file broken by an edit or a merge fails
     * here, with the file and line, not as every runtime test failing to start.
     */
    @Test
    void everyRouteFileLoadsAsCamelYaml() throws Exception {
        List<String> files = List.of(RouteFiles.expand("classpath:routes/*.yaml,classpath:routes/demo/*.yaml", loader).split(","));
        assertTrue(files.size() > 20, files.toString());
        for (String file : files) {
            try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
                org.apache.camel.spi.Resource resource = org.apache.camel.support.PluginHelper.getResourceLoader(context).resolveResource(file);
                assertTrue(resource.exists(), file);
                org.apache.camel.support.PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            } catch (Exception e) {
                throw new AssertionError(file + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void classpathWildcardBecomesTheSortedFileList() {
        List<String> files = List.of(RouteFiles.expand("classpath:routes/*.yaml", loader).split(","));
        assertTrue(files.contains("classpath:routes/plumbing.yaml"), files.toString());
        assertTrue(files.contains("classpath:routes/dead-letters.yaml"), files.toString());
        assertEquals(files.stream().sorted().toList(), files);
    }

    @Test
    void otherPatternsPassThrough() {
        assertEquals("file:/etc/camelcast/routes/*.yaml,classpath:x.yaml",
                RouteFiles.expand("file:/etc/camelcast/routes/*.yaml, classpath:x.yaml", loader));
        assertEquals("classpath:nothing/*.yaml", RouteFiles.expand("classpath:nothing/*.yaml", loader));
    }
}
