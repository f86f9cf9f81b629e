package io.camelcast.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteFilesTest {

    private final ClassLoader loader = RouteFilesTest.class.getClassLoader();

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
