package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.catalogclassifier.classify.Item;

/**
 * A job's input columns, in the caller's order and spelling: an uploaded file's header, or for a JSON job
 * {@code id,name,description,image_url} followed by the attribute keys in the order they first appear. The item's
 * own fields are found by name whatever their case ({@code ID}, {@code Image_URL}); every other column is an
 * attribute.
 */
record InputColumns(List<String> names) {

    /** The item's fields, as a file's header names them (case aside). */
    enum Field {
        ID, NAME, DESCRIPTION, IMAGE_URL;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Field of(String column) {
            for (Field field : values()) {
                if (field.column().equalsIgnoreCase(column.strip())) {
                    return field;
                }
            }
            return null;
        }
    }

    InputColumns {
        names = List.copyOf(names);
    }

    /** A JSON job's columns: the item's fields, then each attribute key once, in the order they first appear. */
    static InputColumns of(List<Item> items) {
        Set<String> names = new LinkedHashSet<>();
        for (Field field : Field.values()) {
            names.add(field.column());
        }
        for (Item item : items) {
            if (item != null && item.attributes() != null) {
                names.addAll(item.attributes().keySet());
            }
        }
        return new InputColumns(new ArrayList<>(names));
    }

    /** The item's value under each column, in column order: its fields, then its attributes (null where absent). */
    List<Object> values(Item item) {
        Map<String, Object> attributes = item.attributes() == null ? Map.of() : item.attributes();
        List<Object> values = new ArrayList<>(names.size());
        for (String name : names) {
            Field field = Field.of(name);
            values.add(field == null ? attributes.get(name) : switch (field) {
                case ID -> item.id();
                case NAME -> item.name();
                case DESCRIPTION -> item.description();
                case IMAGE_URL -> item.imageUrl();
            });
        }
        return values;
    }
}
