package io.palisade.control.http;

import io.palisade.control.service.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The update repository over HTTPS, read-only: {@code /tuf/metadata/NAME} and {@code /tuf/targets/PATH}
 * from the repository directory that {@code palisade repo} writes. Metadata and targets are signed, so
 * serving them needs no authentication; paths cannot leave the repository.
 */
public final class TufRoutes {

    public static final String PREFIX = "/tuf/";
    /** Files larger than this are not served from memory; firmware images are far smaller. */
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private final Path repository;

    public TufRoutes(Path repository) {
        this.repository = repository.toAbsolutePath().normalize();
    }

    public void register(Router router) {
        router.add("GET", PREFIX + "metadata/**", (call, p) -> file("metadata", p.get("rest"), "application/json"),
                HttpReply::text);
        router.add("GET", PREFIX + "targets/**", (call, p) -> file("targets", p.get("rest"),
                "application/octet-stream"), HttpReply::text);
    }

    private HttpReply file(String area, String name, String contentType) throws Refusal {
        Path base = repository.resolve(area);
        Path file;
        try {
            file = base.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            // A NUL or another character no file name can hold: there is no such file.
            throw new Refusal(Refusal.Kind.NOT_FOUND, "no " + area + " file with that name");
        }
        if (!file.startsWith(base) || !Files.isRegularFile(file)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "no " + area + " file " + name);
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new Refusal(Refusal.Kind.TOO_LARGE, name + " is too large to serve");
            }
            return HttpReply.bytes(200, contentType, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "cannot read " + area + " file " + name);
        }
    }
}
