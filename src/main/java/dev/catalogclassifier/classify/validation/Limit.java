package dev.catalogclassifier.classify.validation;

import dev.catalogclassifier.classify.RequestsConfig;

/** The configured length limits a request's texts are held to ({@code classifier.requests.*}). */
public enum Limit {
    /** An item's id. */
    ID,
    /** An item's name, description or attribute value. */
    TEXT;

    int of(RequestsConfig config) {
        return switch (this) {
            case ID -> config.maxIdLength();
            case TEXT -> config.maxTextLength();
        };
    }
}
