package io.palisade.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --json} for commands whose result is one sentence for people: with it they print one JSON object
 * with the same facts instead (scripts should not parse the sentence).
 */
final class JsonOption {

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    /** Prints {@code sentence}, or with {@code --json} the object. */
    void print(PrintWriter out, String sentence, ObjectNode object) {
        emit(out, sentence, object, false);
    }

    /** As {@link #print}, for commands that report as they go: the object as one compact line. */
    void line(PrintWriter out, String sentence, ObjectNode object) {
        emit(out, sentence, object, true);
    }

    private void emit(PrintWriter out, String sentence, ObjectNode object, boolean compact) {
        if (!json) {
            out.println(sentence);
            out.flush();
        } else if (compact) {
            Output.jsonLine(out, object);
        } else {
            Output.json(out, object);
        }
    }

    static ObjectNode object() {
        return Output.object();
    }
}
