package dev.catalogclassifier.batchapi;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The OpenAI Files and Batches endpoints that LangChain4j does not cover, as a Quarkus REST client built per
 * provider base URL ({@link BatchApiClient}). Each call carries its key's {@code Authorization} header.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface BatchApi {

    /** {@code purpose=batch} and the JSONL file. */
    @POST
    @Path("/files")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    JsonNode upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, ClientMultipartForm form);

    @POST
    @Path("/batches")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, Map<String, Object> batch);

    @GET
    @Path("/batches/{id}")
    JsonNode get(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") String batchId);

    @POST
    @Path("/batches/{id}/cancel")
    JsonNode cancel(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") String batchId);

    /** A result file: JSONL, served as whatever type the provider names. */
    @GET
    @Path("/files/{id}/content")
    @Produces(MediaType.WILDCARD)
    String content(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") String fileId);
}
