package dev.catalogclassifier.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The requests a README's shell examples (its fenced code blocks) make with curl against the service: method, path and JSON body. A command
 * goes on over lines that end with a backslash or leave a quote open; {@code #} outside quotes starts a comment.
 */
final class ReadmeRequests {

    record Request(String method, String path, JsonNode body) {
        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadmeRequests() {
    }

    static List<Request> read(Path readme) throws IOException {
        List<Request> requests = new ArrayList<>();
        List<String> lines = Files.readAllLines(readme);
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode || !lines.get(i).trim().startsWith("curl ")) {
                continue; // only commands in code blocks: prose may begin a line with the word
            }
            StringBuilder command = new StringBuilder(lines.get(i).trim());
            while (continues(command) && i + 1 < lines.size()) {
                if (command.charAt(command.length() - 1) == '\\') {
                    command.setLength(command.length() - 1);
                }
                command.append('\n').append(lines.get(++i));
            }
            requests.add(request(tokens(command.toString())));
        }
        return requests;
    }

    private static boolean continues(CharSequence command) {
        return command.charAt(command.length() - 1) == '\\' || openQuote(command) != 0;
    }

    private static char openQuote(CharSequence text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == 0 && c == '#' && i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
                return 0; // the rest is a comment
            }
        }
        return quote;
    }

    /** Shell words: quotes removed, a comment dropped, and nothing after a redirect or a pipe. */
    private static List<String> tokens(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (word == null && (c == '#' || c == '>' || c == '|')) {
                break; // a comment, a redirect or a pipe (inside a word, as in <id>, these are the word's)
            } else {
                word = word == null ? new StringBuilder().append(c) : word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static Request request(List<String> words) throws IOException {
        String method = null;
        String url = null;
        String data = null;
        boolean form = false;
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-X" -> method = words.get(++i);
                case "-d" -> data = words.get(++i);
                case "-F" -> {
                    form = true;
                    i++;
                }
                case "-H" -> i++;
                default -> url = word.contains("localhost:") ? word : url;
            }
        }
        String path = url.substring(url.indexOf('/')).replaceAll("\\?.*", "");
        if (method == null) {
            method = data != null || form ? "POST" : "GET";
        }
        JsonNode body = data != null && data.startsWith("{") ? JSON.readTree(data) : null;
        return new Request(method.toLowerCase(java.util.Locale.ROOT), path, body);
    }
}
