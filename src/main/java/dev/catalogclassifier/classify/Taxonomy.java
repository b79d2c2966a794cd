package dev.catalogclassifier.classify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.catalogclassifier.cascade.Cascade;
import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * The categories one request sorts into. A model's answer counts only when it names one of them; letter case
 * and surrounding blanks are forgiven, and the result always carries the caller's own spelling.
 * A named taxonomy ({@code PUT /api/v1/taxonomies/{name}}) also brings label descriptions, which the LLM sees
 * too, and a {@code local} model prepared from its labelled examples; an inline list has neither.
 * Categories may be paths ({@code Furniture > Chairs > Table & Bar Stools}); they are names like any other, and an
 * answer is always a whole path.
 *
 * Its parts: the categories; the stored taxonomy's {@code name}, or null for an inline list; label
 * {@code descriptions}; the {@code local} classifier's prepared labels and examples, or null to use zero-shot labels;
 * the {@code itemText} the local classifier reads; the stored taxonomy's {@code cascade} precision and calibration
 * ({@link Cascade#NONE} for an inline list); and its {@code scope}, the tenant whose taxonomy it is ({@code ""}:
 * shared), null for an inline list: answers are learnt only into a tenant's own taxonomy (or any, on an open service).
 */
public final class Taxonomy {

    private final List<String> categories;
    private final String name;
    private final Map<String, String> descriptions;
    private final LocalClassifier.Prepared local;
    private final ItemText itemText;
    private final Cascade cascade;
    private final String scope;
    /**
     * Made at first use and kept: a request asks every item with the same taxonomy, and making these per item was
     * a twentieth of its CPU. A race makes one twice, never a wrong one.
     */
    private String promptList;
    private Map<String, String> byKey;

    public Taxonomy(List<String> categories, String name, Map<String, String> descriptions,
            LocalClassifier.Prepared local, ItemText itemText, Cascade cascade, String scope) {
        this.categories = List.copyOf(categories);
        this.name = name;
        this.descriptions = descriptions == null ? Map.of() : Map.copyOf(descriptions);
        this.local = local;
        this.itemText = itemText;
        this.cascade = cascade == null ? Cascade.NONE : cascade;
        this.scope = scope;
    }

    public Taxonomy(List<String> categories) {
        this(categories, null, Map.of(), null, ItemText.NAME_AND_DESCRIPTION, Cascade.NONE, null);
    }

    /** Whether answers asked of it by {@code tenant} (null: an open service) may become its examples. */
    public boolean learnsFrom(String tenant) {
        return name != null && scope != null && scope.equals(tenant == null ? "" : tenant);
    }

    /**
     * What the local classifier classifies against: the named taxonomy's examples and stored labels, or an inline
     * list's labels, embedded once per content and kept ({@link LocalClassifier#labelsAsync}).
     */
    public CompletableFuture<LocalClassifier.Prepared> localModel(LocalClassifier classifier) {
        return local != null ? CompletableFuture.completedFuture(local) : classifier.zeroShotAsync(categories);
    }

    public int size() {
        return categories.size();
    }

    /**
     * The same taxonomy cut down to {@code chosen} (an item's shortlist): what one model call shows and allows. The
     * names are the taxonomy's own; descriptions go with them.
     */
    public Taxonomy restrictedTo(Collection<String> chosen) {
        Map<String, String> kept = new LinkedHashMap<>();
        chosen.forEach(c -> {
            if (descriptions.containsKey(c)) {
                kept.put(c, descriptions.get(c));
            }
        });
        return new Taxonomy(List.copyOf(chosen), name, kept, null, itemText, Cascade.NONE, null);
    }

    /** The SHA-256 of {@link #asPromptList()}: what identifies a large taxonomy's content in a cache key. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(asPromptList().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the local classifier reads of an item. */
    public LocalClassifier.Input localInput(Item item) {
        return LocalClassifier.Input.of(itemText, item.name(), item.description());
    }

    public Optional<String> match(String answer) {
        if (answer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byKey().get(key(answer)));
    }

    /** One line per category, with its description when there is one; also what the result cache keys on. */
    public String asPromptList() {
        String list = promptList;
        if (list == null) {
            list = categories.stream()
                    .map(c -> descriptions.containsKey(c) ? "- " + c + ": " + descriptions.get(c) : "- " + c)
                    .collect(Collectors.joining("\n"));
            promptList = list;
        }
        return list;
    }

    public static String key(String category) {
        return category.strip().toLowerCase(Locale.ROOT);
    }

    private Map<String, String> byKey() {
        Map<String, String> keys = byKey;
        if (keys == null) {
            keys = Map.copyOf(categories.stream().collect(Collectors.toMap(Taxonomy::key, Function.identity(), (a, b) -> a)));
            byKey = keys;
        }
        return keys;
    }

    public List<String> categories() {
        return categories;
    }

    public String name() {
        return name;
    }

    public Map<String, String> descriptions() {
        return descriptions;
    }

    public LocalClassifier.Prepared local() {
        return local;
    }

    public ItemText itemText() {
        return itemText;
    }

    public Cascade cascade() {
        return cascade;
    }

    public String scope() {
        return scope;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Taxonomy that && categories.equals(that.categories) && Objects.equals(name, that.name)
                && descriptions.equals(that.descriptions) && Objects.equals(local, that.local)
                && itemText == that.itemText && cascade.equals(that.cascade) && Objects.equals(scope, that.scope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(categories, name, descriptions, local, itemText, cascade, scope);
    }

    @Override
    public String toString() {
        return "Taxonomy[" + (name == null ? "inline" : name) + ", " + categories.size() + " categories]";
    }
}
