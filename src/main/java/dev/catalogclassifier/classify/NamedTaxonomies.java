package dev.catalogclassifier.classify;

import java.util.List;
import java.util.Optional;

import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import io.smallrye.mutiny.Uni;

/** Stored taxonomies, as requests see them: looked up by name (implemented by the taxonomy feature). */
public interface NamedTaxonomies {

    /**
     * The taxonomy {@code tenant} sees by that name (its own, else a shared one), ready to classify against; empty
     * when it sees none. {@code tenant} is null on an open service.
     */
    Uni<Optional<Taxonomy>> resolve(String tenant, String name);

    /** The request with its named taxonomy filled in; a 400 naming the field when {@code tenant} sees none. */
    default Uni<ValidatedRequest> resolve(String tenant, ValidatedRequest request) {
        if (request.taxonomyName() == null) {
            return Uni.createFrom().item(request);
        }
        return resolve(tenant, request.taxonomyName()).map(found -> request.withTaxonomy(found.orElseThrow(
                () -> unknown(request.taxonomyName()))));
    }

    /** The 400 of a request naming a taxonomy its caller sees none of. */
    public static InvalidRequestException unknown(String name) {
        return new InvalidRequestException(List.of(new FieldError("taxonomy", "no taxonomy is named \""
                + name + "\"; create it with PUT /api/v1/taxonomies/{name} or send a list")));
    }
}
