package dev.catalogclassifier.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * What the OpenAPI document needs for clients generated from it, declared once here rather than on every method:
 * <ul>
 * <li>every {@code /api} operation may answer 401: each needs a key or a token where the service requires callers to
 * name themselves ({@code auth.AuthGate});</li>
 * <li>where an operation takes or gives several media types (a job as JSON or as an uploaded file; results as JSON,
 * CSV or XLSX), JSON comes first: code generators build their method from the first one, and JSON is the API's own
 * form, the others being files for people;</li>
 * <li>a request's {@code taxonomy}, read as a Jackson {@code JsonNode} so that a name and a list can be told apart, is
 * described as what it may be ({@code Taxonomy}: a string or a list of strings), not as Jackson's tree class.</li>
 * </ul>
 */
public class OpenApiFilter implements OASFilter {

    private static final String JSON = "application/json";

    private static final String JSON_NODE = "#/components/schemas/JsonNode";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        describeTaxonomy(openAPI);
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            if (path.startsWith("/api/")) {
                mayBeUnauthorized(operation);
            }
            jsonFirst(operation);
        }));
    }

    private static void describeTaxonomy(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = new LinkedHashMap<>(openAPI.getComponents().getSchemas());
        if (schemas.remove("JsonNode") == null) {
            return;
        }
        schemas.remove("JsonNodeType");
        schemas.put("Taxonomy", OASFactory.createSchema()
                .description("The name of a stored taxonomy, or the list of categories itself; absent: the default taxonomy")
                // the list as a schema of its own: openapi-generator's Java client does not compile a oneOf holding an
                // inline list of strings (it writes List<String>.class), and drops the list from a two-typed schema
                .oneOf(List.of(OASFactory.createSchema().addType(Schema.SchemaType.STRING),
                        OASFactory.createSchema().ref("#/components/schemas/CategoryList"))));
        schemas.put("CategoryList", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                .description("The categories themselves: names, or paths such as \"Furniture > Chairs\"")
                .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        schemas.values().forEach(OpenApiFilter::taxonomyInsteadOfJsonNode);
        openAPI.getComponents().setSchemas(schemas);
    }

    /** Points every reference to Jackson's tree class, at any depth of {@code schema}, to {@code Taxonomy}. */
    private static void taxonomyInsteadOfJsonNode(Schema schema) {
        if (schema == null) {
            return;
        }
        if (JSON_NODE.equals(schema.getRef())) {
            schema.setRef("#/components/schemas/Taxonomy");
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiFilter::taxonomyInsteadOfJsonNode);
        }
        taxonomyInsteadOfJsonNode(schema.getItems());
        for (List<Schema> composed : java.util.Arrays.asList(schema.getAllOf(), schema.getOneOf(), schema.getAnyOf())) {
            if (composed != null) {
                composed.forEach(OpenApiFilter::taxonomyInsteadOfJsonNode);
            }
        }
    }

    private static void mayBeUnauthorized(Operation operation) {
        if (operation.getResponses() != null && operation.getResponses().getAPIResponse("401") == null) {
            operation.getResponses().addAPIResponse("401",
                    OASFactory.createAPIResponse().ref(ProblemResponses.UNAUTHORIZED));
        }
    }

    private static void jsonFirst(Operation operation) {
        if (operation.getRequestBody() != null) {
            jsonFirst(operation.getRequestBody().getContent());
        }
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().values().forEach(response -> jsonFirst(response.getContent()));
        }
    }

    private static void jsonFirst(Content content) {
        if (content == null || content.getMediaTypes() == null || !content.getMediaTypes().containsKey(JSON)) {
            return;
        }
        Map<String, MediaType> ordered = new LinkedHashMap<>();
        ordered.put(JSON, content.getMediaTypes().get(JSON));
        ordered.putAll(content.getMediaTypes());
        content.setMediaTypes(ordered);
    }
}
