package io.camelcast.runtime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Expands {@code classpath:routes/*.yaml} into the list of route files before camel-main sees it.
 * Camel resolves a classpath wildcard by scanning every entry of every jar, which costs about three
 * seconds in the 100 MB runnable jar; listing the one folder here takes milliseconds. Patterns that
 * are not classpath wildcards ({@code file:...}, explicit files) are passed through untouched.
 */
final class RouteFiles {

    private RouteFiles() {
    }

    static String expand(String pattern, ClassLoader loader) {
        if (pattern == null || pattern.isBlank()) {
            return pattern;
        }
        List<String> out = new ArrayList<>();
        for (String part : pattern.split(",")) {
            String p = part.trim();
            if (p.startsWith("classpath:") && p.contains("*")) {
                List<String> found = list(p.substring("classpath:".length()), loader);
                out.addAll(found.isEmpty() ? List.of(p) : found);
            } else if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return String.join(",", out);
    }

    private static List<String> list(String glob, ClassLoader loader) {
        int slash = glob.lastIndexOf('/');
        if (slash < 0 || glob.substring(0, slash).contains("*")) {
            return List.of(); // only a wildcard in the file name is expanded here
        }
        String dir = glob.substring(0, slash);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(slash + 1));
        TreeSet<String> files = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(dir);
            for (URL root : Collections.list(roots)) {
                if ("jar".equals(root.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        for (JarEntry e : Collections.list(jar.entries())) {
                            String name = e.getName();
                            if (!e.isDirectory() && name.startsWith(dir + "/") && name.indexOf('/', dir.length() + 1) < 0
                                    && matcher.matches(Path.of(name.substring(dir.length() + 1)))) {
                                files.add("classpath:" + name);
                            }
                        }
                    }
                } else if ("file".equals(root.getProtocol())) {
                    File[] children = new File(root.toURI()).listFiles();
                    for (File f : children == null ? new File[0] : children) {
                        if (f.isFile() && matcher.matches(Path.of(f.getName()))) {
                            files.add("classpath:" + dir + "/" + f.getName());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + glob, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list " + glob, e);
        }
        return new ArrayList<>(files);
    }
}
