package io.palisade.agent.fim;

import java.util.List;
import java.util.Optional;

/** One difference between the baseline and the file system now. */
public record FileChange(Kind kind, String path, Optional<FileAttributes> before, Optional<FileAttributes> after,
                         List<String> changedAttributes) {

    public enum Kind { ADDED, REMOVED, MODIFIED }

    public FileChange {
        changedAttributes = List.copyOf(changedAttributes);
    }

    /** The sentence a {@code file.modified} event carries. */
    public String describe() {
        return switch (kind) {
            case ADDED -> path + " appeared (" + after.map(FileAttributes::describe).orElse("?") + ")";
            case REMOVED -> path + " was removed (was " + before.map(FileAttributes::describe).orElse("?") + ")";
            case MODIFIED -> path + " changed " + String.join(", ", changedAttributes) + ": was "
                    + before.map(FileAttributes::describe).orElse("?") + "; now "
                    + after.map(FileAttributes::describe).orElse("?");
        };
    }
}
