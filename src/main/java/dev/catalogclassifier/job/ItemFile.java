package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.tabular.TableFile;

/**
 * The items of an uploaded table: a row is an item, the columns {@code id}, {@code name}, {@code description} and
 * {@code image_url} (any case) are its fields, and every other column travels along as an attribute under its
 * header's name (an empty cell is no attribute). The header is kept as the job's {@link InputColumns}.
 */
record ItemFile(List<Item> items, List<String> columns) {

    static ItemFile of(TableFile table) {
        checkHeader(table.header());
        List<Item> items = new ArrayList<>(table.rows().size());
        for (TableFile.Row row : table.rows()) {
            items.add(item(table.header(), row.cells()));
        }
        return new ItemFile(items, table.header());
    }

    private static Item item(List<String> header, List<String> cells) {
        Map<InputColumns.Field, String> fields = new EnumMap<>(InputColumns.Field.class);
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String value = blankToNull(cells.get(c));
            InputColumns.Field field = InputColumns.Field.of(header.get(c));
            if (field != null) {
                fields.put(field, value);
            } else if (value != null) {
                attributes.put(header.get(c), value);
            }
        }
        return new Item(fields.get(InputColumns.Field.ID), fields.get(InputColumns.Field.NAME),
                fields.get(InputColumns.Field.DESCRIPTION), fields.get(InputColumns.Field.IMAGE_URL),
                attributes.isEmpty() ? null : attributes);
    }

    private static void checkHeader(List<String> header) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<InputColumns.Field> fields = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            if (name.isEmpty()) {
                errors.add(new FieldError("file", "column " + (c + 1) + " of the header has no name"));
            } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError("file", "the header names column \"" + name + "\" twice"));
            }
            if (InputColumns.Field.of(name) != null) {
                fields.add(InputColumns.Field.of(name));
            }
        }
        if (!fields.contains(InputColumns.Field.ID)) {
            errors.add(new FieldError("file", "has no id column: the header needs id, and name or image_url "
                    + "(description and other columns optional), found " + header));
        } else if (!fields.contains(InputColumns.Field.NAME) && !fields.contains(InputColumns.Field.IMAGE_URL)) {
            errors.add(new FieldError("file", "has neither a name nor an image_url column, found " + header));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /**
     * The request's field errors as the file's rows: {@code items[41].id} is row 43 of the file (the header is row 1),
     * which is what the person fixing the spreadsheet looks for.
     */
    static InvalidRequestException asRows(InvalidRequestException invalid) {
        return new InvalidRequestException(invalid.errors().stream().map(error -> {
            Matcher item = ITEM_FIELD.matcher(error.field());
            if (!item.matches()) {
                return error;
            }
            String field = item.group(2).isEmpty() ? "" : " " + item.group(2).substring(1);
            return new FieldError("file", "row " + (Integer.parseInt(item.group(1)) + 2) + field + ": " + error.message());
        }).toList());
    }

    private static final Pattern ITEM_FIELD = Pattern.compile("items\\[(\\d+)](.*)");

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
