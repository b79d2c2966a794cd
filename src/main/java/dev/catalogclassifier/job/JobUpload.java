package dev.catalogclassifier.job;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The OpenAPI shape of a job submitted as a file ({@code multipart/form-data}); the resource reads the parts itself. */
@Schema(name = "JobUpload", description = "A job from a file: the file, and the job's options as JSON")
record JobUpload(
        @Schema(required = true, type = SchemaType.STRING, format = "binary",
                description = "CSV (UTF-8) or XLSX with a header row: id, name, description, image_url, and any other columns") String file,
        @Schema(implementation = JobRequest.class, description = "The JSON job request's fields other than items") String options) {
}
