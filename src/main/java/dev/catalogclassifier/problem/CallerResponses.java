package dev.catalogclassifier.problem;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Adds the 401 answer to every {@code /api} operation of the OpenAPI document: each of them needs a key or a token
 * where the service requires callers to name themselves ({@code auth.AuthGate}), so a generated client must
 * expect it. Declared once here rather than on every resource method.
 */
public class CallerResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().values().forEach(CallerResponses::mayBeUnauthorized);
            }
        });
    }

    private static void mayBeUnauthorized(Operation operation) {
        if (operation.getResponses() != null && operation.getResponses().getAPIResponse("401") == null) {
            operation.getResponses().addAPIResponse("401",
                    OASFactory.createAPIResponse().ref(ProblemResponses.UNAUTHORIZED));
        }
    }
}
