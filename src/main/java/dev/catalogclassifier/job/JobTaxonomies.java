package dev.catalogclassifier.job;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.NamedTaxonomies;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.database.Blocking;

/** The taxonomy a stored job classifies into, for whichever path runs its items (workers, the Batch API). */
@ApplicationScoped
public class JobTaxonomies {

    private static final TypeReference<List<String>> CATEGORIES = new TypeReference<>() { };

    private final ObjectMapper json;
    private final NamedTaxonomies taxonomies;

    public JobTaxonomies(ObjectMapper json, NamedTaxonomies taxonomies) {
        this.json = json;
        this.taxonomies = taxonomies;
    }

    /**
     * The job's categories as submitted; with its named taxonomy's descriptions and examples while that still has
     * the same categories (a taxonomy replaced with other categories must not change a running job's answers).
     * Blocks on the named taxonomy: call it on a virtual thread.
     */
    public Taxonomy of(Job job) throws JsonProcessingException, InterruptedException {
        Taxonomy submitted = new Taxonomy(json.readValue(job.taxonomy, CATEGORIES));
        if (job.taxonomyName == null) {
            return submitted;
        }
        Taxonomy named = Blocking.await(() -> taxonomies.resolve(job.tenant, job.taxonomyName)).orElse(null);
        return named != null && named.categories().equals(submitted.categories()) ? named : submitted;
    }
}
