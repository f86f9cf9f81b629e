package io.camelcast.upload;

import io.camelcast.http.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code POST /custom-upload {path}}: a file already on the server, taken only when its real path (after
 * every symlink) lies inside {@code camelcast.upload.root} and it is a regular, readable file. Anything
 * else is a 400 and nothing is read: {@code ../}, absolute paths elsewhere, symlinks pointing out, devices.
 */
public final class LocalFiles {

    private final Path root;

    public LocalFiles(Path root) throws IOException {
        this.root = root == null ? null : root.toRealPath();
    }

    public Path resolve(String path) {
        if (root == null) {
            throw new Refused(400, "custom uploads are off: set camelcast.upload.root");
        }
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw new Refused(400, "path is required");
        }
        Path real;
        try {
            Path p = Path.of(path);
            real = (p.isAbsolute() ? p : root.resolve(p)).toRealPath();
        } catch (InvalidPathException | NoSuchFileException e) {
            throw new Refused(400, "no such file under the upload root: " + path);
        } catch (IOException e) {
            throw new Refused(400, "cannot read " + path);
        }
        if (!real.startsWith(root)) {
            throw new Refused(400, "path is outside the upload root");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
            throw new Refused(400, "not a regular readable file: " + path);
        }
        return real;
    }
}
