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

    /**
     * camel-main's pre-parse is skipped for our own route files ({@link CamelcastMain}): it sets up Camel K
     * modelines, {@code beans} and {@code Pipe} resources, and a route file of ours holding one would lose it.
     */
    @Test
    void ownRouteFilesHaveNothingForThePreParse() throws Exception {
        String pattern = RouteFiles.expand("classpath:routes/*.yaml,classpath:routes/demo/*.yaml", loader);
        assertTrue(RouteFiles.ownOnly(pattern), pattern);
        for (String file : pattern.split(",")) {
            String path = file.substring("classpath:".length());
            String text;
            try (var in = loader.getResourceAsStream(path)) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(!text.contains("camel-k:"), path + " has a modeline");
            Object root = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                    .loadFromString(text);
            assertTrue(root instanceof List<?>, path + " is not a list of routes");
            for (Object item : (List<?>) root) {
                assertTrue(!(item instanceof java.util.Map<?, ?> m) || !m.containsKey("beans"), path + " declares beans");
            }
        }
    }

    @Test
    void onlyCamelcastsOwnFilesCountAsOwn() {
        assertTrue(RouteFiles.ownOnly("classpath:routes/plumbing.yaml,classpath:routes/demo/demo.yaml"));
        assertTrue(!RouteFiles.ownOnly("classpath:routes/plumbing.yaml,file:/etc/camelcast/extra.yaml"));
        assertTrue(!RouteFiles.ownOnly("classpath:routes/*.yaml"));
        assertTrue(!RouteFiles.ownOnly("classpath:other/x.yaml"));
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
